"""`i` on an event: its brief in a pane of its own (esc closes; `monitor brief ID` prints the same)."""
from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen

from monitor.tui.screens.scroll_keys import scroll, scroll_bindings
from monitor.tui.widgets.event_brief import EventBriefView


class EventBriefScreen(ModalScreen[None]):
    BINDINGS: ClassVar = [Binding("escape,q,i", "dismiss", "Close", id="brief.close"), *scroll_bindings("brief")]

    def __init__(self, cluster_id: int, seen_size: int | None = None) -> None:
        super().__init__()
        self.cluster_id = cluster_id
        self.seen_size = seen_size  # the event is open: its size when the analyst had last looked

    def compose(self) -> ComposeResult:
        yield EventBriefView(id="event-brief")

    def on_mount(self) -> None:
        self.load()

    def action_scroll_view(self, how: str) -> None:
        scroll(self.query_one(EventBriefView), how)

    @work(thread=True, exclusive=True, group="brief", exit_on_error=False)
    def load(self) -> None:
        from monitor.store.brief import event_brief

        brief = event_brief(self.app.dbs.thread_db(), self.cluster_id, self.seen_size)  # type: ignore[attr-defined]
        self.app.call_from_thread(self.query_one(EventBriefView).show, brief)
