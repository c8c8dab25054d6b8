"""The status line: last poll, next poll, feeds failing, articles today, the view's filter."""
from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from monitor.store.views import StatusSummary
from monitor.tui.timefmt import ago, until


class StatusLine(Static):
    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.summary: StatusSummary | None = None
        self.poll_note = ""
        self.view_note = ""

    def show(self, summary: StatusSummary | None, now: datetime) -> None:
        if summary is not None:
            self.summary = summary
        s = self.summary
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if s is not None:
            text.append(f"last poll {ago(s.last_poll, now)}", "bold")
            text.append(f" · next {until(s.next_poll, now)}")
            text.append(" · feeds failing ")
            text.append(str(s.feeds_failing), "bold red" if s.feeds_failing else "green")
            text.append(f"/{s.feeds} · today {s.articles_today} · clusters {s.clusters}"
                        f" · corpus {s.corpus_documents}")
        if self.poll_note:
            text.append(f" · {self.poll_note}", "yellow")
        if self.view_note:
            text.append(f" │ {self.view_note}", "dim")
        self.update(text, layout=False)
