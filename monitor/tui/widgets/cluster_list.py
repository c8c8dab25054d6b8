"""The cluster list: a line-API widget over an ordered list of ids, rows fetched a page at a time.

Only the rows on screen are ever laid out, and only a page around them is fetched (through the
`fetch_rows` callable the screen hands in), so 10k or 1M clusters paint as fast as 10.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable, Sequence

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

PAGE = 100
FetchRows = Callable[[Sequence[int]], dict[int, ClusterRow]]


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


def _fit(value: str, width: int, style: Style | str = "") -> Text:
    """Exactly `width` cells (wide characters counted), cut with an ellipsis."""
    cell = Text(value, style=style, no_wrap=True, end="")
    cell.truncate(width, overflow="ellipsis", pad=True)
    return cell


class ClusterList(ScrollView, can_focus=True):
    """Clusters in view order; the cursor follows the cluster id across reloads."""

    BINDINGS = bindings(NAVIGATION)
    COMPONENT_CLASSES = {"cluster-list--cursor", "cluster-list--grew", "cluster-list--dim"}
    DEFAULT_CSS = """
    ClusterList > .cluster-list--cursor { background: $accent 40%; }
    ClusterList:focus > .cluster-list--cursor { background: $accent; color: $text; }
    ClusterList > .cluster-list--grew { color: $warning; text-style: bold; }
    ClusterList > .cluster-list--dim { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, always_update=False, init=False)

    class Highlighted(Message):
        def __init__(self, cluster_id: int | None) -> None:
            super().__init__()
            self.cluster_id = cluster_id

    class Opened(Message):
        def __init__(self, cluster_id: int) -> None:
            super().__init__()
            self.cluster_id = cluster_id

    def __init__(self, fetch_rows: FetchRows, now: Callable[[], datetime], **kwargs) -> None:
        super().__init__(**kwargs)
        self._fetch_rows = fetch_rows
        self._now = now
        self.ids: list[int] = []
        self._index: dict[int, int] = {}
        self._rows: dict[int, ClusterRow] = {}

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

    def load(self, ids: list[int], rows: dict[int, ClusterRow]) -> None:
        """Show a new view; keep the selected cluster and the scroll position when possible."""
        selected = self.selected_id
        old_cursor = self.cursor
        self.ids = ids
        self._index = {cid: i for i, cid in enumerate(ids)}
        self._rows = dict(rows)
        self.virtual_size = Size(self.size.width, len(ids))
        new_cursor = self._index.get(selected, min(old_cursor, max(0, len(ids) - 1))) if selected is not None else 0
        self.set_reactive(ClusterList.cursor, new_cursor)
        self._keep_cursor_visible()
        self.refresh()
        self.post_message(self.Highlighted(self.selected_id))

    def prefetch_window(self) -> list[int]:
        """Ids around the cursor that a reload worker should fetch along with the id list."""
        start = max(0, self.cursor - PAGE // 2)
        return self.ids[start:start + PAGE]

    # -- cursor -------------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._keep_cursor_visible()
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
        index = round(self.scroll_offset.y) + y
        base = self.rich_style
        row = self.row(index)
        if row is None:
            return Strip.blank(width, base)
        text = self._row_text(row, width)
        if index == self.cursor:
            text.stylize(self.get_component_rich_style("cluster-list--cursor"))
        segments = [Segment(s.text, base + s.style if s.style else base) for s in text.render(self.app.console)]
        return Strip(segments).crop_extend(0, width, base)

    def _row_text(self, row: ClusterRow, width: int) -> Text:
        now = self._now()
        grew = self.get_component_rich_style("cluster-list--grew")
        dim = self.get_component_rich_style("cluster-list--dim")
        text = Text(no_wrap=True, end="")
        for name, w in layout(width):
            if name == "mark":
                text.append("●" if row.grew else " ", grew)
                text.append("★" if row.starred else " ", Style(color="yellow"))
                text.append("L" if row.locked else " ", dim)
            elif name == "size":
                text.append(f"{row.size:>{w - 1}} "[:w])
            elif name == "src":
                text.append(f"{row.source_count:>{w - 1}} "[:w])
            elif name == "dup":
                text.append(f"{row.dup_count:>{w - 1}} "[:w], dim)
            elif name == "vel":
                text.append(f"{row.velocity:>{w - 1}.1f} "[:w], dim)
            elif name == "first":
                text.append(f"{ago(row.first_seen, now):>{w - 1}} "[:w], dim)
            elif name == "last":
                text.append(f"{ago(row.last_seen, now):>{w - 1}} "[:w])
            elif name == "label":
                label = clean(row.label, limit=w) or "(no headline)"
                style = Style(bold=row.status == "new")
                if row.status == "dismissed":
                    style = dim + Style(strike=True)
                elif row.status == "read":
                    style = dim
                text.append_text(_fit(label, w, style))
            elif name == "tags":
                text.append_text(_fit(" " + clean(",".join(row.tags), limit=w), w, Style(color="cyan")))
        return text
