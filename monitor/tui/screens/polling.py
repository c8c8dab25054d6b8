"""The poll worker of the main screen (a mixin): one ingestion cycle on the configured interval,
the same `poll_once` cron runs, with progress, a held lock and failures shown in the status line."""
from __future__ import annotations

from typing import Any

from textual import work

from monitor.tui.screens.base import MainScreenHost
from monitor.tui.messages import PollFinished, PollProgress
from monitor.tui.safe import clean
from monitor.tui.widgets.status_line import StatusLine


class Polling(MainScreenHost):
    def action_poll_now(self) -> None:
        if self._polling:
            return
        self._polling = True
        self._set_poll_note("polling…")
        self.run_poll()

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def run_poll(self) -> None:
        # Imported here: the poller's imports (feed parsing, extraction) would slow the dashboard's start.
        from monitor.ingest.lock import PollLocked
        from monitor.ingest.poller import poll_once

        def progress(event: dict[str, Any]) -> None:
            self.post_message(PollProgress(event))

        try:
            summary = poll_once(self.app.db_path, self.app.config, progress=progress)
        except PollLocked:
            self.post_message(PollFinished(error="another process is polling"))
        except Exception as exc:  # a failed cycle is reported, the dashboard keeps running
            self.post_message(PollFinished(error=f"poll failed: {exc}"))
        else:
            self.post_message(PollFinished(summary=summary))

    def on_poll_progress(self, message: PollProgress) -> None:
        self._set_poll_note(_describe(message.event))

    def on_poll_finished(self, message: PollFinished) -> None:
        self._polling = False
        if message.error or message.summary is None:
            self._set_poll_note(message.error or "poll failed")
        else:
            summary = message.summary
            self._set_poll_note(f"polled: {summary.new_articles} new, {summary.failed} feeds failed")
        self.reload_all()

    def _set_poll_note(self, note: str) -> None:
        status = self.query_one(StatusLine)
        status.poll_note = note[:80]
        status.show(None, self.app.now())


def _describe(event: dict[str, Any]) -> str:
    """A short line from a progress event of the poll cycle (monitor.ingest.cycle.Cycle.emit)."""
    if event.get("kind") == "start":
        return f"polling {event.get('total', '?')} feeds…"
    if event.get("kind") == "feed":
        return clean(f"polling {event.get('done')}/{event.get('total')}: {event.get('name', '')} "
                     f"{event.get('outcome', '')}", limit=80)
    return clean(" ".join(f"{k}={v}" for k, v in event.items()), limit=80)
