"""Members of the selected cluster: source, time, duplicate marks and why each was matched.

Drawn line by line like the cluster list: a fixed header line, then one line per member, each
rendered once into a cached Strip. It looks and moves like the DataTable it replaces (cell padding,
header, row cursor, hover), which re-rendered every row through Rich on each cluster change and
asked for a layout of the whole screen whenever the number of members changed (half the moves).
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from monitor.store.views import MemberRow
from monitor.tui.actions import NAVIGATION, bindings
from monitor.tui.safe import clean, safe
from monitor.tui.timefmt import ago
from monitor.tui.widgets.scrolling import set_virtual_size

PADDING = 1  # cells of padding on each side of every cell, as a DataTable draws them
HEADINGS = {"mark": "", "when": "when", "source": "source", "title": "title", "why": "why matched"}


def reason_text(member: MemberRow) -> Text:
    """The matching explanation: the clusterer's reason, its score and the shared terms."""
    parts = []
    if member.proposed:
        parts.append("PROPOSED: a accept, A reject")
    if member.method == "analyst":
        parts.append("moved by analyst")
    if member.reason:
        parts.append(clean(member.reason, limit=60))
    if member.score is not None:
        parts.append(f"{member.score:.2f}")
    if member.terms:
        parts.append(clean(", ".join(member.terms[:5]), limit=60))
    return Text(" · ".join(parts) or "-", style="dim", no_wrap=True, end="")


def why_text(member: MemberRow) -> Text:
    """The line under the members: which article, and why it is in this cluster."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("why: ", "bold")
    if member.dup_of:
        text.append(f"duplicate of article {member.dup_of} · ", "magenta")
    text.append_text(reason_text(member))
    return text


def columns(width: int) -> tuple[tuple[str, int], ...]:
    """(column, content width) pairs for a pane `width` cells wide."""
    width = max(24, width - 2)
    why = 30 if width >= 100 else 0
    source = 0 if width < 50 else (14 if width >= 70 else 10)
    count = 3 + bool(source) + bool(why)
    title = max(10, width - 3 - 5 - source - why - 2 * (count + 1))
    cols = [("mark", 3), ("when", 5)] + ([("source", source)] if source else []) + [("title", title)]
    return tuple(cols + ([("why", why)] if why else []))


def member_cells(member: MemberRow, cols: tuple[tuple[str, int], ...], now: datetime) -> list[Text]:
    """One Text per column; untrusted text stays plain (never markup)."""
    cells = []
    for name, width in cols:
        if name == "mark":
            mark = Text(no_wrap=True, end="")
            mark.append("≈" if member.dup_of else " ", "magenta")
            mark.append("★" if member.starred else " ", "yellow")
            mark.append("·" if member.status == "new" else ("x" if member.status == "dismissed" else " "))
            cells.append(mark)
        elif name == "when":
            cells.append(Text(ago(member.published_at, now), end=""))
        elif name == "source":
            cells.append(safe(member.source, limit=width))
        elif name == "title":
            style = "dim strike" if member.status == "dismissed" else ("bold" if member.status == "new" else "")
            if member.origin == "corpus":
                style += " italic"
            cells.append(safe(member.title, style.strip(), limit=width))
        elif name == "why":
            cells.append(reason_text(member))
    return cells


def _cell(text: Text, width: int, console: Console) -> list[Segment]:
    """A one-line cell as Rich lays it out in a DataTable: cut to `width` by the text's overflow,
    padded with unstyled spaces, and `PADDING` spaces either side."""
    lines = text.wrap(console, width, justify=text.justify or "default", overflow=text.overflow or "fold",
                      tab_size=(console.tab_size if text.tab_size is None else text.tab_size) or 8, no_wrap=True)
    segments = list(Text("\n").join(lines[:1]).render(console)) if lines else []
    pad = Segment(" " * PADDING)
    return [pad, *Segment.adjust_line_length(segments, width), pad]


def _line(cells: list[Text], cols, row_style: Style, component: Style, width: int, base: Style,
          console: Console) -> Strip:
    """One table line: the cells under `row_style + component`, the cursor's colour on top, the
    rest of the width in the row's style."""
    segments: list[Segment] = []
    for text, (_, cell_width) in zip(cells, cols):
        segments += _cell(text, cell_width, console)
    post = Style.from_color(color=component.color)
    segments = list(Segment.apply_style(segments, row_style + component, post))
    used = sum(w + 2 * PADDING for _, w in cols)
    segments.append(Segment(" " * max(0, width - used), row_style + component))
    return Strip(segments).adjust_cell_length(width, base).simplify()


class MemberList(ScrollView, can_focus=True):
    """One row per member article; the cursor follows the article id across reloads."""

    BINDINGS = bindings(NAVIGATION)
    COMPONENT_CLASSES = {"member-list--header", "member-list--cursor", "member-list--hover",
                         "member-list--header-hover"}
    DEFAULT_CSS = """
    MemberList {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .member-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .member-list--header { background-tint: $foreground 5%; }
        }
        & > .member-list--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .member-list--header { background: ansi_bright_blue; color: ansi_default; }
        & > .member-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .member-list--hover { background: $block-hover-background; }
        & > .member-list--header-hover { background: $accent 30%; }
    }
    """

    class Highlighted(Message):
        """The cursor is on another member (or the members changed)."""

        def __init__(self, member: MemberRow | None) -> None:
            super().__init__()
            self.member = member

    class Selected(Message):
        """A member was clicked while under the cursor (enter is the screen's `open`)."""

        def __init__(self, member: MemberRow) -> None:
            super().__init__()
            self.member = member

    def __init__(self, now: Callable[[], datetime], **kwargs) -> None:
        super().__init__(**kwargs)
        self._now = now
        self.members: list[MemberRow] = []
        self.cursor_row = 0
        self._hover: int | None = None  # row under the mouse (-1: the header), shown until a key moves
        self._lines: dict[tuple, Strip] = {}  # keyed by everything drawn into the line
        self._styles: dict[str, Style] = {}

    # -- data ---------------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.members)

    @property
    def selected(self) -> MemberRow | None:
        if not self.members or not 0 <= self.cursor_row < len(self.members):
            return None
        return self.members[self.cursor_row]

    def show(self, members: list[MemberRow]) -> None:
        """Show a cluster's members; the selected article keeps the cursor if it is still there."""
        keep = self.selected.article_id if self.selected else None
        self.members = members
        self.cursor_row = next((i for i, m in enumerate(members) if m.article_id == keep), 0)
        set_virtual_size(self, Size(sum(w + 2 * PADDING for _, w in self._columns()), len(members) + 1))
        self.scroll_to(y=0, animate=False, immediate=True)
        self._keep_cursor_visible()
        self.refresh()
        if members:
            self.post_message(self.Highlighted(self.selected))

    def _columns(self) -> tuple[tuple[str, int], ...]:
        return columns(self.size.width or 60)

    def on_resize(self) -> None:
        set_virtual_size(self, Size(sum(w + 2 * PADDING for _, w in self._columns()), len(self.members) + 1))
        self.refresh()

    # -- cursor -------------------------------------------------------------------------------
    def move_cursor(self, row: int) -> None:
        self._hover_off()
        row = max(0, min(row, len(self.members) - 1))
        if row == self.cursor_row or not self.members:
            return
        old, self.cursor_row = self.cursor_row, row
        self._keep_cursor_visible()
        self._refresh_row(old)
        self._refresh_row(row)
        self.post_message(self.Highlighted(self.selected))

    def _rows_visible(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)  # under the header

    def _keep_cursor_visible(self) -> None:
        top = round(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + self._rows_visible():
            self.scroll_to(y=self.cursor_row - self._rows_visible() + 1, animate=False, immediate=True)

    def _refresh_row(self, row: int) -> None:
        self.refresh_line(row + 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_top(self) -> None:
        self.move_cursor(0)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(len(self.members) - 1)

    def action_page_down(self) -> None:
        """A page as a DataTable turns it: the view scrolls a screen, the cursor moves as far."""
        page = self._rows_visible()
        self.scroll_to(y=self.scroll_offset.y + page, animate=False, immediate=True)
        self.move_cursor(self.cursor_row + min(page, len(self.members) - 1 - self.cursor_row))

    def action_page_up(self) -> None:
        page = self._rows_visible()
        self.scroll_to(y=self.scroll_offset.y - page, animate=False, immediate=True)
        self.move_cursor(self.cursor_row - min(page, self.cursor_row))

    # -- mouse --------------------------------------------------------------------------------
    def _row_at(self, y: int) -> int | None:
        if y < 1:
            return -1
        row = round(self.scroll_offset.y) + y - 1
        return row if 0 <= row < len(self.members) else None

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event.y)
        if row is None or row < 0:
            return
        event.stop()
        if row == self.cursor_row:
            self.post_message(self.Selected(self.members[row]))
        self.move_cursor(row)
        self._set_hover(row)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._row_at(event.y))

    def on_leave(self, event: events.Leave) -> None:
        self._hover_off()

    def _set_hover(self, row: int | None) -> None:
        if row != self._hover:
            for old in (self._hover, row):
                if old is not None:
                    self._refresh_row(old)
            self._hover = row

    def _hover_off(self) -> None:
        self._set_hover(None)

    # -- rendering ----------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        """Cached styles may be stale; Textual repaints the widget if a style changed."""
        super().notify_style_update()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.rich_style if name == "base" else self.get_component_rich_style(name)
        return style

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self._style("base")
        cols = self._columns()
        if y == 0:
            row, member = -1, None
            row_style = self._style("member-list--header")
        else:
            row = round(self.scroll_offset.y) + y - 1
            if not 0 <= row < len(self.members):
                return Strip.blank(width, base)
            member, row_style = self.members[row], base
        component = Style()
        if row == self._hover:
            component += self._style("member-list--hover")
            if row == -1:
                component += self._style("member-list--header-hover")
        if row == self.cursor_row and member is not None:
            component += self._style("member-list--cursor")
        now = self._now()
        key = (member, cols, width, base, row_style, component, now.replace(second=0, microsecond=0))
        line = self._lines.get(key)
        if line is None:
            if len(self._lines) > 2000:
                self._lines.clear()
            cells = ([Text(HEADINGS[name], end="") for name, _ in cols] if member is None
                     else member_cells(member, cols, now))
            line = self._lines[key] = _line(cells, cols, row_style, component, width, base, self.app.console)
        return line
