"""The cluster list: a line-API widget over an ordered list of ids, rows fetched a page at a time.

Only the rows on screen are ever laid out, and only a page around them is fetched (through the
`fetch_rows` callable the screen hands in), so 10k or 1M clusters paint as fast as 10.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Callable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from monitor.store.views import ClusterRow
from monitor.tui.actions import NAVIGATION, bindings
from monitor.tui.safe import clean
from monitor.tui.timefmt import ago
from monitor.tui.widgets.scrolling import set_virtual_size

PAGE = 100
FetchRows = Callable[[Sequence[int]], dict[int, ClusterRow]]


@lru_cache(maxsize=16)
def layout(width: int) -> list[tuple[str, int]]:
    """(column, width) pairs that fit `width`; the label takes what is left."""
    if width < 56:  # narrow: growth and star marks, size, sources, last seen, label
        cols = [("mark", 3), ("size", 4), ("src", 3), ("last", 5)]
        return cols + [("label", max(8, width - sum(w for _, w in cols)))]
    cols = [("mark", 3), ("size", 5), ("src", 4), ("dup", 4)]
    if width >= 64:
        cols += [("vel", 6), ("first", 7)]
    cols += [("last", 7)]
    used = sum(w for _, w in cols)
    tag_width = 14 if width >= 90 else 0
    cols.append(("label", max(8, width - used - tag_width)))
    if tag_width:
        cols.append(("tags", tag_width))
    return cols


HEADINGS = {"mark": "", "size": "size", "src": "src", "dup": "dup", "vel": "/h", "first": "first",
            "last": "last", "label": "cluster", "tags": "tags"}


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


class ClusterList(ScrollView, can_focus=True):
    """Clusters in view order; the cursor follows the cluster id across reloads."""

    BINDINGS = bindings(NAVIGATION)
    # The focused cursor has a class of its own rather than a :focus rule: a component style that
    # changes with focus makes Textual repaint every row on each focus change, for one row's colour.
    COMPONENT_CLASSES = {"cluster-list--cursor", "cluster-list--cursor-focus", "cluster-list--grew",
                         "cluster-list--dim"}
    DEFAULT_CSS = """
    ClusterList > .cluster-list--cursor { background: $accent 40%; }
    ClusterList > .cluster-list--cursor-focus { background: $accent; color: $text; }
    ClusterList > .cluster-list--grew { color: $warning; text-style: bold; }
    ClusterList > .cluster-list--dim { color: $text-muted; }
    """

    # repaint=False: watch_cursor repaints the two rows whose highlight changed, not all of them
    cursor: reactive[int] = reactive(0, always_update=False, init=False, repaint=False)

    class Highlighted(Message):
        def __init__(self, cluster_id: int | None) -> None:
            super().__init__()
            self.cluster_id = cluster_id

    class ContentWidth(Message):
        """The width rows are drawn at changed (the screen, or a scrollbar appearing): the column
        header must follow it, or header and rows disagree."""

        def __init__(self, width: int) -> None:
            super().__init__()
            self.width = width

    class Opened(Message):
        def __init__(self, cluster_id: int) -> None:
            super().__init__()
            self.cluster_id = cluster_id

    def __init__(self, fetch_rows: FetchRows, now: Callable[[], datetime], **kwargs) -> None:
        super().__init__(**kwargs)
        self._fetch_rows = fetch_rows
        self._now = now
        self.ids: list[int] = []
        self._rows: dict[int, ClusterRow] = {}
        # Rendered lines keyed by everything drawn into them (the row's values, width, cursor, the
        # styles and the minute relative times were computed in), so they stay valid across reloads,
        # sort changes and focus changes, and a changed row simply misses.
        self._lines: dict[tuple, Strip] = {}
        self._styles: dict[str, Style] = {}
        self._drawn_width = 0

    def invalidate(self) -> None:
        """Forget rendered lines (relative times age, the theme may change)."""
        self._lines.clear()
        self._styles.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        """CSS was applied again (theme, focus): cached styles may be stale, and lines drawn with
        other styles miss the cache by their key. Textual repaints the widget if a style changed."""
        super().notify_style_update()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.rich_style if name == "base" else self.get_component_rich_style(name)
        return style

    # -- data ---------------------------------------------------------------------------------
    @property
    def selected_id(self) -> int | None:
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

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
        return Position(self.selected_id, self.cursor, round(self.scroll_offset.y),
                        max(1, self.scrollable_content_region.height))

    def load(self, ids: list[int], rows: dict[int, ClusterRow]) -> None:
        """Show a new view; keep the selected cluster and the scroll position when possible."""
        cursor, _ = self.position().landing(ids)
        self.ids = ids
        self._rows = dict(rows)
        set_virtual_size(self, Size(self.size.width, len(ids)))
        self.set_reactive(ClusterList.cursor, cursor)
        self._keep_cursor_visible()
        self.refresh()
        self.post_message(self.Highlighted(self.selected_id))

    def refresh_row(self, cluster_id: int) -> None:
        """Drop one row's cached data; it is fetched again when drawn (its lines miss by value)."""
        self._rows.pop(cluster_id, None)
        try:
            index = self.ids.index(cluster_id)  # a scan in C: cheaper than a dict built on every load
        except ValueError:
            return
        self.refresh_line(index)

    # -- cursor -------------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        top = round(self.scroll_offset.y)
        self._keep_cursor_visible()
        if round(self.scroll_offset.y) == top:
            self.refresh_line(old)  # only the two rows whose highlight changed
            self.refresh_line(new)
        else:
            self.refresh()
        self.post_message(self.Highlighted(self.selected_id))

    def _move(self, index: int) -> None:
        if self.ids:
            self.cursor = max(0, min(index, len(self.ids) - 1))

    def _keep_cursor_visible(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_cursor_top(self) -> None:
        self._move(0)

    def action_cursor_bottom(self) -> None:
        self._move(len(self.ids) - 1)

    def action_page_down(self) -> None:
        self._move(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self._move(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def on_click(self, event) -> None:
        self._move(round(self.scroll_offset.y) + event.y)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.ids))

    # -- rendering ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._drawn_width:
            self._drawn_width = width
            self.post_message(self.ContentWidth(width))
        index = round(self.scroll_offset.y) + y
        base = self._style("base")
        row = self.row(index)
        if row is None:
            return Strip.blank(width, base)
        selected = index == self.cursor
        if selected:
            over = base + self._style("cluster-list--cursor-focus" if self.has_focus else "cluster-list--cursor")
        else:
            over = base
        now = self._now()
        key = (row, width, over, self._style("cluster-list--grew"), self._style("cluster-list--dim"),
               now.replace(second=0, microsecond=0))
        line = self._lines.get(key)
        if line is None:
            if len(self._lines) > 4000:
                self._lines.clear()
            segments = [Segment(text, over + style if style else over)
                        for text, style in self._row_cells(row, width, now)]
            line = self._lines[key] = Strip(segments).crop_extend(0, width, over)
        return line

    def _row_cells(self, row: ClusterRow, width: int, now: datetime) -> list[tuple[str, Style | None]]:
        """(text, style) cells of one row; plain strings and styles, no markup, no Text layout."""
        grew = self._style("cluster-list--grew")
        dim = self._style("cluster-list--dim")
        cells: list[tuple[str, Style | None]] = []
        for name, w in layout(width):
            if name == "mark":
                cells += [("●" if row.grew else " ", grew), ("★" if row.starred else " ", _STAR),
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
                style = _BOLD if row.status == "new" else (dim + _STRIKE if row.status == "dismissed" else dim)
                cells.append((_fit_cells(clean(row.label, limit=w) or "(no headline)", w), style))
            elif name == "tags":
                cells.append((_fit_cells(" " + clean(",".join(row.tags), limit=w), w), _TAGS))
        return cells

    def _refresh_cursor_line(self) -> None:
        self.refresh_line(self.cursor)

    def on_focus(self) -> None:
        self._refresh_cursor_line()

    def on_blur(self) -> None:
        self._refresh_cursor_line()


_STAR = Style(color="yellow")
_BOLD = Style(bold=True)
_STRIKE = Style(strike=True)
_TAGS = Style(color="cyan")


def _fit_cells(value: str, width: int) -> str:
    """Exactly `width` terminal cells (wide characters counted), cut with an ellipsis."""
    if len(value) <= width and cell_len(value) == len(value):
        return value.ljust(width)
    if cell_len(value) <= width:
        return set_cell_size(value, width)
    return set_cell_size(value, width - 1) + "…"
