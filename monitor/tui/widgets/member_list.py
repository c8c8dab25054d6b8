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


class MemberList(DataTable):
    """One row per member article; row keys are article ids so the cursor survives reloads."""

    BINDINGS = bindings(NAVIGATION)

    def __init__(self, now: Callable[[], datetime], **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._now = now
        self.members: list[MemberRow] = []

    def on_mount(self) -> None:
        self.add_column("", key="mark", width=3)
        self.add_column("source", key="source", width=16)
        self.add_column("when", key="when", width=7)
        self.add_column("title", key="title", width=48)
        self.add_column("why matched", key="why", width=40)

    @property
    def selected(self) -> MemberRow | None:
        if not self.members or not 0 <= self.cursor_row < len(self.members):
            return None
        return self.members[self.cursor_row]

    def show(self, members: list[MemberRow]) -> None:
        keep = self.selected.article_id if self.selected else None
        self.members = members
        self.clear()
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
            self.add_row(mark, safe(member.source, limit=16), Text(ago(member.published_at, now), end=""),
                         safe(member.title, title_style.strip(), limit=120), reason_text(member),
                         key=str(member.article_id))
        if keep is not None:
            for index, member in enumerate(members):
                if member.article_id == keep:
                    self.move_cursor(row=index, animate=False)
                    break

    def action_cursor_top(self) -> None:
        self.move_cursor(row=0, animate=False)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1), animate=False)
