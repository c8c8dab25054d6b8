"""The event list: a line list over an ordered list of ids, rows fetched a page at a time.

Only the rows on screen are ever laid out, and only a page around them is fetched (through the
`fetch_rows` callable the screen hands in), so 10k or 1M clusters paint as fast as 10.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Callable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.strip import Strip

from monitor.store.views import ClusterRow
from monitor.tui.safe import clean
from monitor.tui.timefmt import ago
from monitor.tui.widgets.line_list import Cells, LineList

PAGE = 100
FetchRows = Callable[[Sequence[int]], dict[int, ClusterRow]]


@lru_cache(maxsize=16)
def layout(width: int) -> list[tuple[str, int]]:
    """(column, width) pairs that fit `width`; the label takes what is left."""
    if width < 56:  # narrow: growth and star marks, size, sources, last seen, label
        cols = [("mark", 3), ("size", 5), ("src", 4), ("last", 8)]  # room for the headings ("siz sr" was cut)
        return cols + [("label", max(8, width - sum(w for _, w in cols)))]
    cols = [("mark", 3), ("size", 5), ("src", 4), ("dup", 4)]
    if width >= 80:  # velocity and first seen only where the headline keeps room
        cols += [("vel", 6), ("first", 8)]
    cols += [("last", 8)]
    used = sum(w for _, w in cols)
    tag_width = 14 if width >= 90 else 0
    cols.append(("label", max(8, width - used - tag_width)))
    if tag_width:
        cols.append(("tags", tag_width))
    return cols


HEADINGS = {"mark": "", "size": "size", "src": "src", "dup": "dup", "vel": "/h", "first": "first",
            "last": "last", "label": "event", "tags": "tags"}


def header_text(width: int) -> Text:
    text = Text(no_wrap=True, end="")
    for name, w in layout(width):
        heading = HEADINGS[name][: max(1, w - 1)]
        cell = heading.rjust(w - 1) + " " if name in ("size", "src", "dup", "vel", "first", "last") else heading.ljust(w)
        text.append(cell[:w], style="bold")
    return text


@dataclass(frozen=True)
class Position:
    """Where the list stands, taken on the UI thread so that a reload worker can fetch the rows
    that will be on screen once the new ids are shown (no query while painting)."""

    selected_id: int | None
    cursor: int
    top: int
    height: int

    def landing(self, ids: Sequence[int]) -> tuple[int, int]:
        """(cursor, top row) after `ids` are loaded: the selected cluster keeps the cursor when it is
        still in view, and the scroll moves only as far as needed to show it."""
        try:
            cursor = ids.index(self.selected_id) if self.selected_id is not None else 0
        except ValueError:
            cursor = min(self.cursor, max(0, len(ids) - 1))
        top = self.top
        if cursor < top:
            top = cursor
        elif cursor >= top + self.height:
            top = cursor - self.height + 1
        return cursor, top

    def rows_to_fetch(self, ids: Sequence[int]) -> list[int]:
        """The first page (g jumps there) and a screen either side of where the view lands."""
        _, top = self.landing(ids)
        around = ids[max(0, top - self.height): top + 2 * self.height]
        return list(dict.fromkeys([*ids[:PAGE], *around]))


class ClusterList(LineList):
    """Events in view order under a header of column names; the cursor follows the event id across
    reloads. The header is drawn by the list itself, so it always has the rows' width."""

    CURSOR = "cluster-list"
    COMPONENT_CLASSES = {"cluster-list--cursor", "cluster-list--cursor-focus", "cluster-list--grew",
                         "cluster-list--dim", "cluster-list--header"}
    DEFAULT_CSS = """
    ClusterList > .cluster-list--cursor { background: $accent 40%; }
    ClusterList > .cluster-list--cursor-focus { background: $accent; color: $text; }
    ClusterList > .cluster-list--grew { color: $warning; text-style: bold; }
    ClusterList > .cluster-list--dim { color: $text-muted; }
    ClusterList > .cluster-list--header { background: $boost; color: $text-muted; text-style: bold; }
    """

    class Highlighted(Message):
        def __init__(self, cluster_id: int | None) -> None:
            super().__init__()
            self.cluster_id = cluster_id

    def __init__(self, fetch_rows: FetchRows, now: Callable[[], datetime], **kwargs) -> None:
        super().__init__(now, **kwargs)
        self._fetch_rows = fetch_rows
        self.ids: list[int] = []
        self._rows: dict[int, ClusterRow] = {}
        self.marked: frozenset[int] = frozenset()  # events marked for a bulk action (by id: reloads keep them)
        self.empty_hint = ""  # under "No event matches this view": how the search might find something

    # -- data ---------------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.ids)

    @property
    def selected_id(self) -> int | None:
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    @property
    def selected_row(self) -> ClusterRow | None:
        return self.row(self.cursor)

    def row(self, index: int) -> ClusterRow | None:
        if not 0 <= index < len(self.ids):
            return None
        cluster_id = self.ids[index]
        if cluster_id not in self._rows:
            start = max(0, index - PAGE // 4)
            page = [i for i in self.ids[start:start + PAGE] if i not in self._rows]
            self._rows.update(self._fetch_rows(page))
        return self._rows.get(cluster_id)

    def position(self) -> Position:
        return Position(self.selected_id, self.cursor, self.top(), self.rows_visible())

    def load(self, ids: list[int], rows: dict[int, ClusterRow]) -> None:
        """Show a new view; keep the selected event and the scroll position when possible."""
        cursor, _ = self.position().landing(ids)
        self.ids = ids
        self._rows = dict(rows)
        self.resize_rows()
        self.place_cursor(cursor)
        self.refresh()
        self.cursor_moved()

    def select(self, cluster_id: int) -> bool:
        """Move the cursor to this event if it is in view."""
        try:
            index = self.ids.index(cluster_id)
        except ValueError:
            return False
        self.move_cursor(index)
        return True

    def refresh_cluster(self, cluster_id: int) -> None:
        """Drop one row's cached data; it is fetched again when drawn (its lines miss by value)."""
        self._rows.pop(cluster_id, None)
        try:
            index = self.ids.index(cluster_id)  # a scan in C: cheaper than a dict built on every load
        except ValueError:
            return
        self.refresh_row(index)

    def set_marked(self, ids: frozenset[int]) -> None:
        """Show these events as marked (✓ before the headline)."""
        if ids != self.marked:
            self.marked = ids
            self.refresh()

    def cursor_moved(self) -> None:
        self.post_message(self.Highlighted(self.selected_id))

    def on_resize(self) -> None:
        self.resize_rows()

    # -- rendering ----------------------------------------------------------------------------
    def render_header(self, width: int) -> Strip:
        style = self.style("cluster-list--header")
        return self.cached(("header", width, style),
                           lambda: Strip(header_text(width).render(self.app.console)).crop_extend(0, width, style)
                           .apply_style(style))

    def render_line(self, y: int) -> Strip:
        if not self.ids and y in (2, 3):  # a view a filter emptied
            style = self.style("base") + self.style("cluster-list--dim")
            line = " No event matches this view: c clears the filters and the search" if y == 2 else \
                (f" {self.empty_hint}" if self.empty_hint else "")
            return Strip([Segment(line, style)]).crop_extend(0, self.content_width, self.style("base"))
        return super().render_line(y)

    def render_row(self, index: int, width: int, row_style: Style, on_cursor: bool) -> Strip:
        row = self.row(index)
        if row is None:
            return Strip.blank(width, self.style("base"))
        now = self.minute()
        grew, dim = self.style("cluster-list--grew"), self.style("cluster-list--dim")
        marked = row.id in self.marked
        return self.cached((row, width, row_style, on_cursor, grew, dim, now, marked),
                           lambda: self.cells_strip(self._row_cells(row, width, now, grew, dim, marked), width,
                                                    row_style, on_cursor))

    @staticmethod
    def _row_cells(row: ClusterRow, width: int, now: datetime, grew: Style, dim: Style,
                   marked: bool = False) -> Cells:
        """(text, style) cells of one row; plain strings and styles, no markup, no Text layout."""
        grew, dim = colour_only(grew), colour_only(dim)
        cells: Cells = []
        for name, w in layout(width):
            if name == "mark":
                cells += [("●" if row.grew or row.proposing else " ", grew), ("★" if row.starred else " ", _STAR),
                          ("L" if row.locked else " ", dim)]
            elif name == "size":
                cells.append((f"{row.size:>{w - 1}} "[-w:], None))
            elif name == "src":
                cells.append((f"{row.source_count:>{w - 1}} "[-w:], None))
            elif name == "dup":
                cells.append((f"{row.dup_count:>{w - 1}} "[-w:], dim))
            elif name == "vel":
                cells.append((f"{row.velocity:>{w - 1}.1f} "[-w:], dim))
            elif name == "first":
                cells.append((f"{ago(row.first_seen, now):>{w - 1}} "[-w:], dim))
            elif name == "last":
                cells.append((f"{ago(row.last_seen, now):>{w - 1}} "[-w:], None))
            elif name == "label":
                if marked:  # marked for a bulk action: the mark takes two of the headline's cells
                    cells.append((MARK, _MARKED))
                    w -= len(MARK)
                style = _BOLD if row.status == "new" else (dim + _STRIKE if row.status == "dismissed" else dim)
                cells.append((_fit_cells(clean(row.label, limit=w) or "(no headline)", w), style))
            elif name == "tags":
                cells.append((_fit_cells(" " + clean(",".join(row.tags), limit=w), w), _TAGS))
        return cells


def colour_only(style: Style) -> Style:
    """A component style's foreground and weight without its background (which is the widget's
    own: laid over the cursor row it would leave that cell unhighlighted)."""
    return Style(color=style.color, bold=style.bold, dim=style.dim, italic=style.italic, strike=style.strike)


MARK = "✓ "  # a row marked for a bulk action (the Events and Articles panes)
_MARKED = Style(color="green", bold=True, reverse=True)
_STAR = Style(color="yellow")
_BOLD = Style(bold=True)
_STRIKE = Style(strike=True)
_TAGS = Style(color="cyan")


_CYRILLIC_WORD = re.compile(r"^[\u0400-\u04ff'ʼ’]+$")


def stemless_hint(query: str | None) -> str:
    """For a search that found nothing: a Cyrillic word typed whole may be written in another form
    (Snowball has no Ukrainian stemmer: "Харків" does not find "Харкова"), so a prefix of it, and
    where: for a place, are offered ("try харк* or where:Харків"). Empty when no such word."""
    words = [w for w in (query or "").split() if _CYRILLIC_WORD.match(w) and len(w) > 3]
    if not words:
        return ""
    word = next((w for w in words if w[0].isupper()), words[0])  # a name or place first
    prefix = word[:max(4, len(word) - 2)].lower()
    place = f" or where:{word} (any spelling)" if word[0].isupper() else ""
    return f"Cyrillic endings vary: try {prefix}*{place}"


def _fit_cells(value: str, width: int) -> str:
    """Exactly `width` terminal cells (wide characters counted), cut with an ellipsis."""
    if len(value) <= width and cell_len(value) == len(value):
        return value.ljust(width)
    if cell_len(value) <= width:
        return set_cell_size(value, width)
    return set_cell_size(value, width - 1) + "…"
