"""The dashboard app: composes screens, applies [keymap], exposes every action in the palette."""
from __future__ import annotations

import gc
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState, get_current_worker

from monitor.cluster.place_lookup import use_gazetteer_for_places
from monitor.config import Config
from monitor.tui.actions import APP, MAIN, NAVIGATION, ActionSpec, bindings, current_keys
from monitor.tui.connections import Connections
from monitor.tui.messages import DataWritten, TriageDone, TriageFailed


class MonitorApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "monitor"
    BINDINGS = bindings(APP)
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

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        self.writer()
        if not self.poll_enabled:  # otherwise the first poll, a second from now, catches up
            self.cluster_backlog()
        from monitor.tui.screens.main import MainScreen

        self.push_screen(MainScreen())

    def first_view_shown(self) -> None:
        """Start-up is over once the first view is painted: the objects alive then (Textual's, the
        stylesheet's, the screens') need no cycle collection. Freezing them keeps full collections
        short (unfrozen, each walked 70k+ objects, 30-60 ms, and landed on a keypress); a fixed
        2 s timer left the first seconds of use exposed to them."""
        if not MonitorApp._frozen:
            MonitorApp._frozen = True
            gc.freeze()

    def on_unmount(self) -> None:
        self.dbs.stop()

    @work(thread=True, group="cluster-backlog", exit_on_error=False)
    def cluster_backlog(self) -> None:
        """Cluster what a killed run stored but did not cluster; the screens see it as any write."""
        from monitor.cluster.assign import assign_backlog
        from monitor.store import open_db

        db = open_db(self.db_path)
        try:
            # Not the re-derivation: a slice of it in this thread, as the analyst's first keys
            # arrive, doubled their p95 (bench_tui: 30 -> 60-70 ms); polls (cron's or this app's) do it.
            assign_backlog(db, self.config.cluster, rederive=False)
        finally:
            db.close()

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

    # -- palette and help -------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        specs: list[ActionSpec] = list(getattr(screen, "PALETTE", MAIN))
        if hasattr(screen.focused, "action_cursor_top"):
            specs = [*specs, *NAVIGATION]  # movement runs on the focused list
        for spec in specs:
            keys = current_keys(spec, self.keymap)
            yield SystemCommand(spec.description, f"{keys}  ({spec.id})", partial(self._run_on, screen, spec.action))
        export = getattr(screen, "action_export", None)
        if export is not None:
            for fmt in ("csv", "json", "jsonl", "md"):
                yield SystemCommand(f"Export the current view as {fmt}", f"a file in {self.export_dir}",
                                    partial(export, fmt))

    def _run_on(self, screen: Screen, action: str) -> None:
        target: Widget = screen
        focused = screen.focused
        if focused is not None and hasattr(focused, f"action_{action}") and not hasattr(screen, f"action_{action}"):
            target = focused
        self.call_later(target.run_action, action)

    def action_help(self) -> None:
        from monitor.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
