"""Members of the selected cluster: source, time, duplicate marks and why each was matched."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from rich.text import Text
from textual.widgets import DataTable

from monitor.store.views import MemberRow
from monitor.tui.actions import NAVIGATION, bindings
from monitor.tui.safe import clean, safe
from monitor.tui.timefmt import ago


def reason_text(member: MemberRow) -> Text:
    """The matching explanation: the clusterer's reason, its score and the shared terms."""
    parts = []
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


class MemberList(DataTable):
    """One row per member article; row keys are article ids so the cursor survives reloads."""

    BINDINGS = bindings(NAVIGATION)

    def __init__(self, now: Callable[[], datetime], **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._now = now
        self.members: list[MemberRow] = []

    def _columns(self) -> tuple[int, int, int]:
        """(source, title, why) widths for the pane's width (each cell has 2 cells of padding)."""
        width = max(24, (self.size.width or 60) - 2)
        why = 30 if width >= 100 else 0
        source = 0 if width < 50 else (14 if width >= 70 else 10)
        columns = 3 + bool(source) + bool(why)
        title = max(10, width - 3 - 5 - source - why - 2 * (columns + 1))
        return source, title, why

    def _add_columns(self) -> None:
        source, title, why = self._columns()
        self.add_column("", key="mark", width=3)
        self.add_column("when", key="when", width=5)
        if source:
            self.add_column("source", key="source", width=source)
        self.add_column("title", key="title", width=title)
        if why:
            self.add_column("why matched", key="why", width=why)
        self._layout = (source, title, why)

    def on_resize(self) -> None:
        if getattr(self, "_layout", None) != self._columns():
            self.show(self.members)

    @property
    def selected(self) -> MemberRow | None:
        if not self.members or not 0 <= self.cursor_row < len(self.members):
            return None
        return self.members[self.cursor_row]

    def show(self, members: list[MemberRow]) -> None:
        keep = self.selected.article_id if self.selected else None
        self.members = members
        if getattr(self, "_layout", None) != self._columns():
            self.clear(columns=True)
            self._add_columns()
        else:
            self.clear()
        source_w, title_w, why_w = self._layout
        now = self._now()
        ids = {m.article_id for m in members}
        for member in members:
            mark = Text(no_wrap=True, end="")
            mark.append("≈" if member.dup_of in ids or member.dup_of else " ", "magenta")
            mark.append("★" if member.starred else " ", "yellow")
            mark.append("·" if member.status == "new" else ("x" if member.status == "dismissed" else " "))
            title_style = "dim strike" if member.status == "dismissed" else ("bold" if member.status == "new" else "")
            if member.origin == "corpus":
                title_style += " italic"
            cells = [mark, Text(ago(member.published_at, now), end="")]
            if source_w:
                cells.append(safe(member.source, limit=source_w))
            cells.append(safe(member.title, title_style.strip(), limit=title_w))
            if why_w:
                cells.append(reason_text(member))
            self.add_row(*cells, key=str(member.article_id))
        if keep is not None:
            for index, member in enumerate(members):
                if member.article_id == keep:
                    self.move_cursor(row=index, animate=False)
                    break

    def action_cursor_top(self) -> None:
        self.move_cursor(row=0, animate=False)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1), animate=False)
