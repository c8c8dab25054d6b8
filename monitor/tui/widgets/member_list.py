"""Articles of the selected event: source, time, duplicate marks and why each was matched.

A line list like the event list: a fixed header line, then one line per member, each rendered
once into a cached Strip, with a DataTable's look (cell padding, header, row cursor). A DataTable
re-rendered every row through Rich on each event change.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.strip import Strip

from monitor.store.views import MemberRow
from monitor.tui.actions import first_key
from monitor.tui.safe import clean, safe
from monitor.tui.timefmt import ago
from monitor.tui.widgets.cluster_list import MARK
from monitor.tui.widgets.line_list import LineList

PADDING = 1  # cells of padding on each side of every cell, as a DataTable draws them
HEADINGS = {"mark": "", "when": "when", "source": "source", "title": "title", "why": "why matched"}


def proposal_hint(keymap: dict[str, str]) -> str:
    """What a proposed member says, naming the accept and reject keys in force after [keymap]."""
    return f"PROPOSED: {first_key('triage.accept', keymap)} accept, {first_key('triage.reject', keymap)} reject"


def reason_text(member: MemberRow, hint: str) -> Text:
    """The matching explanation: the clusterer's reason, its score and the shared terms; `hint` on a
    member proposed to a locked event."""
    parts = []
    if member.proposed:
        parts.append(hint)
    if member.method == "analyst":
        parts.append("moved by analyst")
    if member.reason:
        parts.append(clean(member.reason, limit=60))
    if member.score is not None:
        parts.append(f"{member.score:.2f}")
    if member.terms:
        parts.append(clean(", ".join(member.terms[:5]), limit=60))
    return Text(" · ".join(parts) or "-", style="dim", no_wrap=True, end="")


def why_text(member: MemberRow, hint: str) -> Text:
    """The line under the members: which article, and why it is in this cluster."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("why: ", "bold")
    duplicate = f"duplicate of article {member.dup_of}"
    if member.dup_of and duplicate not in member.reason:  # the clusterer's reason may say it already
        text.append(f"{duplicate} · ", "magenta")
    text.append_text(reason_text(member, hint))
    return text


def columns(width: int, room: int | None = None) -> tuple[tuple[str, int], ...]:
    """(column, content width) pairs for a pane `width` cells wide; the title takes what the other
    columns leave of `room`, the cells its rows have beside a scrollbar (by default four fewer than
    `width`). Never wider than `room`: a table one cell wider put a sideways scrollbar over a row."""
    width = max(24, width - 2)
    why = 30 if width >= 100 else 0
    source = 0 if width < 50 else (14 if width >= 70 else 10)
    count = 3 + bool(source) + bool(why)
    room = width - 2 if room is None else room
    title = max(4, room - 3 - 7 - source - why - 2 * count)
    cols = [("mark", 3), ("when", 7)] + ([("source", source)] if source else []) + [("title", title)]
    return tuple(cols + ([("why", why)] if why else []))


def member_cells(member: MemberRow, cols: tuple[tuple[str, int], ...], now: datetime, hint: str,
                 marked: bool = False) -> list[Text]:
    """One Text per column; untrusted text stays plain (never markup). `marked`: marked for a bulk
    action (✓ before the title)."""
    cells = []
    for name, width in cols:
        if name == "mark":
            mark = Text(no_wrap=True, end="")
            if member.proposed:  # waiting for a / o: said only in the why column, shown from 100 cells
                mark.append("?", "bold yellow")
            else:
                mark.append("≈" if member.dup_of else " ", "magenta")
            mark.append("★" if member.starred else " ", "yellow")
            if member.arrived_since_seen:  # new since the analyst last opened the event
                mark.append("●", "bold green")
            else:
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
            # Marked, the mark takes two of the title's cells: the title is cut before them, with its ellipsis.
            title = safe(member.title, style.strip(), limit=width - len(MARK) if marked else width)
            if marked:
                title = Text.assemble((MARK, "bold reverse green"), title, end="")
            cells.append(title)
        elif name == "why":
            cells.append(reason_text(member, hint))
    return cells


def _cell(text: Text, width: int, console: Console) -> list[Segment]:
    """A one-line cell as Rich lays it out in a DataTable: cut to `width` by the text's overflow,
    padded with unstyled spaces, and `PADDING` spaces either side."""
    lines = text.wrap(console, width, justify=text.justify or "default", overflow=text.overflow or "fold",
                      tab_size=(console.tab_size if text.tab_size is None else text.tab_size) or 8, no_wrap=True)
    segments = list(Text("\n").join(lines[:1]).render(console)) if lines else []
    pad = Segment(" " * PADDING)
    return [pad, *Segment.adjust_line_length(segments, width), pad]


def _line(cells: list[Text], cols, style: Style, on_cursor: bool, width: int, console: Console) -> Strip:
    """One table line: the cells under the row's style; on the cursor row the cursor's colour is
    laid over every cell, so the row reads as one bar and every mark stays legible on it."""
    segments: list[Segment] = []
    for text, (_, cell_width) in zip(cells, cols):
        segments += _cell(text, cell_width, console)
    post = Style.from_color(color=style.color, bgcolor=style.bgcolor) if on_cursor else None
    segments = list(Segment.apply_style(segments, style, post))
    used = sum(w + 2 * PADDING for _, w in cols)
    segments.append(Segment(" " * max(0, width - used), style))
    return Strip(segments).adjust_cell_length(width, style).simplify()


class MemberList(LineList):
    """One row per article of the selected event; the cursor follows the article id across reloads."""

    CURSOR = "member-list"
    COMPONENT_CLASSES = {"member-list--header", "member-list--cursor", "member-list--cursor-focus"}
    DEFAULT_CSS = """
    MemberList {
        background: $surface;
        color: $foreground;
        & > .member-list--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .member-list--header { background: ansi_bright_blue; color: ansi_default; }
        & > .member-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .member-list--cursor-focus {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
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

    LINE_CACHE = 2000

    def __init__(self, now: Callable[[], datetime], **kwargs) -> None:
        super().__init__(now, **kwargs)
        self.members: list[MemberRow] = []
        self.hint = proposal_hint({})
        self.marked: frozenset[int] = frozenset()  # articles marked for a bulk action (by id)

    def on_mount(self) -> None:
        self.hint = proposal_hint(dict(getattr(self.app, "keymap", {})))

    # -- data ---------------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.members)

    @property
    def cursor_row(self) -> int:
        return self.cursor

    @property
    def selected(self) -> MemberRow | None:
        if not self.members or not 0 <= self.cursor < len(self.members):
            return None
        return self.members[self.cursor]

    def show(self, members: list[MemberRow], *, newest_unread: bool = False, same_event: bool = False) -> None:
        """Show an event's members; the selected article keeps the cursor if it is still there, or
        with `newest_unread` (the event was just entered) the newest unread article takes it.

        With `same_event` (the event's members read again: a triage key, a poll), an article that
        left it (moved out, rejected) leaves the cursor on the article that took its place, not on
        the first row, and the cursor's article stays on its screen line: the view was scrolled to
        the top and back, so a cursor low in a long event jumped to the pane's last line at each
        write, every poll's included."""
        keep = self.selected.article_id if self.selected else None
        was, line = self.cursor, self.cursor - self.top()
        self.members = members
        if newest_unread:
            row = next((i for i, m in enumerate(members) if m.status == "new"), 0)
        else:
            fallback = min(was, len(members) - 1) if same_event and members else 0
            row = next((i for i, m in enumerate(members) if m.article_id == keep), fallback)
        self.resize_rows(self._table_width())
        top = max(0, row - line) if same_event and not newest_unread else 0
        self.scroll_to(y=top, animate=False, immediate=True)
        self.place_cursor(row)
        self.refresh()
        if members:
            self.cursor_moved()

    def select(self, article_id: int | None) -> None:
        """The cursor on this article, if it is listed."""
        row = next((i for i, m in enumerate(self.members) if m.article_id == article_id), None)
        if row is not None:
            self.move_cursor(row)

    def set_marked(self, ids: frozenset[int]) -> None:
        """Show these articles as marked (✓ before the title)."""
        if ids != self.marked:
            self.marked = ids
            self.refresh()

    def go_to_newest_unread(self) -> None:
        """Entering the event: the cursor on its newest unread article (members are newest first)."""
        row = next((i for i, m in enumerate(self.members) if m.status == "new"), 0)
        self.move_cursor(row)

    def _columns(self) -> tuple[tuple[str, int], ...]:
        width = self.size.width
        if not width:
            return columns(60)
        scrollbar = self.styles.scrollbar_size_vertical if self.row_count + 1 > self.size.height else 0
        return columns(width, width - scrollbar)

    def _table_width(self) -> int:
        return sum(w + 2 * PADDING for _, w in self._columns())

    def on_resize(self) -> None:
        self.resize_rows(self._table_width())
        self.refresh()

    def cursor_moved(self) -> None:
        self.post_message(self.Highlighted(self.selected))

    def clicked_again(self, row: int) -> None:
        self.post_message(self.Selected(self.members[row]))

    # -- rendering ----------------------------------------------------------------------------
    def render_header(self, width: int) -> Strip:
        cols, style = self._columns(), self.style("member-list--header")
        return self.cached(("header", cols, width, style), lambda: _line(
            [Text(HEADINGS[name], end="") for name, _ in cols], cols, style, False, width, self.app.console))

    def render_row(self, index: int, width: int, row_style: Style, on_cursor: bool) -> Strip:
        member, cols, now = self.members[index], self._columns(), self.minute()
        marked = member.article_id in self.marked
        return self.cached((member, cols, width, row_style, on_cursor, now, marked), lambda: _line(
            member_cells(member, cols, now, self.hint, marked), cols, row_style, on_cursor, width, self.app.console))
