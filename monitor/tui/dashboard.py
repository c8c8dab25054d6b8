"""What the dashboard's screens use of the app, below them: its state (database, configuration,
clock, keymap), the ordered writer and the turning of failures into notices.

`app.py` composes the screens on top of it; the screens type `self.app` against this class, so
nothing under `monitor/tui` imports in a circle (an import contract in pyproject.toml keeps it).
"""
from __future__ import annotations

import gc
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from textual import work
from textual.app import App
from textual.worker import Worker, WorkerState, get_current_worker

from monitor.cluster.place_lookup import use_gazetteer_for_places
from monitor.config import Config
from monitor.tui.connections import Connections
from monitor.tui.messages import DataWritten, TriageDone, TriageFailed


class DashboardApp(App):
    _frozen = False  # gc.freeze() once per process

    def __init__(self, db_path: Path, config: Config, *, poll: bool = True,
                 now: Callable[[], datetime] | None = None, export_dir: Path | None = None) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.config = config
        self.poll_enabled = poll
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.export_dir = export_dir or Path.cwd()
        self.dbs = Connections(self.db_path)
        self.keymap = {k: v for k, v in dict(config.keymap).items()}
        use_gazetteer_for_places()  # where:PLACE in the search: any spelling of the place

    def first_view_shown(self) -> None:
        """Start-up is over once the first view is painted: the objects alive then (Textual's, the
        stylesheet's, the screens') need no cycle collection. Freezing them keeps full collections
        short (unfrozen, each walked 70k+ objects, 30-60 ms, and landed on a keypress); a fixed
        2 s timer left the first seconds of use exposed to them."""
        if not DashboardApp._frozen:
            DashboardApp._frozen = True
            gc.freeze()

    def on_unmount(self) -> None:
        self.dbs.stop()

    # -- writes -------------------------------------------------------------------------------
    @work(thread=True, group="writer", exit_on_error=False)
    def writer(self) -> None:
        worker = get_current_worker()
        self.dbs.run_writer(lambda: worker.is_cancelled)

    def write(self, job: Callable[[Any], Any], *, toast: Callable[[Any], str] | None = None,
              written: DataWritten | None = None) -> None:
        """Queue a triage write; the outcome comes back as TriageDone / TriageFailed.

        `toast` words the result for the analyst (naming its target); `written` says what the
        write touched (by default anything in the lists), for every screen to refresh."""
        scope = written or DataWritten()

        def done(result: Any, error: BaseException | None) -> None:
            if error is not None:
                self.post_message(TriageFailed(str(error) or type(error).__name__))
                return
            message = toast(result) if toast is not None and result is not None else getattr(result, "message", "")
            self.post_message(TriageDone(message or "", scope))

        self.dbs.submit(job, done)

    def on_triage_done(self, message: TriageDone) -> None:
        if message.message:
            self.notify(message.message, timeout=3, markup=False)
        written = message.written
        for screen in self.screen_stack:
            screen.post_message(DataWritten(written.scope, written.cluster_id, written.article_id))

    def on_triage_failed(self, message: TriageFailed) -> None:
        self.notify(message.message, severity="warning", timeout=4, markup=False)

    # -- failures -------------------------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place where a failed worker becomes a notification instead of a crash."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            # An error's text may quote a feed, a title or a path: shown as written, never as markup.
            self.notify(f"{event.worker.name or event.worker.group}: {error}", severity="error", timeout=6,
                        markup=False)
