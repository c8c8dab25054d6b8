"""The poll worker of the main screen (a mixin): the same `poll_once` cron runs, with progress, a
held lock and failures shown in the status line. The timer polls the feeds that are due; `p` polls
every feed now, ignoring their schedules, and the feed-health screen can poll one feed."""
from __future__ import annotations

from typing import Any, Sequence

from textual import work

from monitor.text.plural import counted
from monitor.timeutil import now_iso
from monitor.tui.messages import PollFinished, PollProgress
from monitor.tui.safe import clean
from monitor.tui.screens.base import MonitorScreen
from monitor.tui.widgets.status_line import StatusLine

LIVE_EVERY = 10.0  # seconds: a long poll's articles are clustered this often while it runs (live_clustering.py)


class Polling(MonitorScreen):
    _polling = False
    _caught_up = False  # the timer's first poll has started

    def action_poll_now(self) -> None:
        """`p`: every feed, now."""
        self.start_poll(force=True)

    def poll_due(self) -> None:
        """The timer: the feeds whose next poll is due. Its first poll runs whatever is due (it
        applies feeds.toml and clusters what a killed run left); later ticks poll only when a feed
        is due: an empty poll still retries every failed article page (spending in minutes the few
        tries meant for later polls), records a run that the status line's "last poll" would show,
        and replaces the last poll's summary with "polled 0 feeds"."""
        if self._caught_up and not self._feeds_due():
            return
        self._caught_up = True
        self.start_poll(force=False)

    def _feeds_due(self) -> bool:
        """As the poll itself decides (a schedule a clock that was ahead wrote is due now)."""
        from monitor.ingest.poller import schedule_horizon
        from monitor.store.feeds import due_feeds

        return bool(due_feeds(self.app.dbs.ui, now_iso(), horizon=schedule_horizon(self.app.config)))

    def start_poll(self, *, force: bool, feeds: Sequence[str] = ()) -> None:
        if self._polling:
            if force:
                self.app.notify("A poll is already running", timeout=2)
            return
        self._polling = True
        self._set_poll_note(f"polling {clean(feeds[0], limit=40)}…" if feeds else "polling…")
        self.poll_started()
        self.run_poll(force, tuple(feeds))

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def run_poll(self, force: bool, feeds: tuple[str, ...]) -> None:
        # Imported here: the ingest stack (HTTP client, extraction) would slow the first paint.
        from monitor.ingest.lock import PollLocked
        from monitor.ingest.poller import poll_once

        def progress(event: dict[str, Any]) -> None:
            self.post_message(PollProgress(event))

        try:
            summary = poll_once(self.app.db_path, self.app.config, force=force, feed_names=feeds, progress=progress,
                                live_every=LIVE_EVERY)
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
            self._set_poll_note(f"polled {counted(summary.feeds_polled, 'feed')}: {summary.new_articles} new, "
                                f"{summary.failed} failed")
        self.poll_done()

    def poll_started(self) -> None:
        """A poll has started (the main screen's first-run help says so)."""

    def poll_done(self) -> None:
        """After a poll: reload (the main screen also rings for new watch hits)."""

    def _set_poll_note(self, note: str) -> None:
        status = self.query_one(StatusLine)
        status.poll_note = note[:80]
        status.show(None, self.app.now())


def _describe(event: dict[str, Any]) -> str:
    """A short line from a progress event of the poll cycle (monitor.ingest.cycle.Cycle.emit)."""
    if event.get("kind") == "start":
        total = event.get("total")
        return f"polling {counted(total, 'feed') if isinstance(total, int) else '? feeds'}…"
    if event.get("kind") == "feed":
        return clean(f"polling {event.get('done')}/{event.get('total')}: {event.get('name', '')} "
                     f"{event.get('outcome', '')}", limit=80)
    return clean(" ".join(f"{k}={v}" for k, v in event.items() if k != "summary"), limit=80)
