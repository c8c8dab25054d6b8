"""The dashboard app: composes screens, applies [keymap], exposes every action in the palette.

What the screens use of it (state, the writer, failures as notices) is `dashboard.DashboardApp`,
below them: the screens never import this module."""
from __future__ import annotations

from functools import partial
from typing import Iterable

from textual import work
from textual.app import SystemCommand
from textual.screen import Screen
from textual.widget import Widget

from monitor.tui.actions import APP, MAIN, NAVIGATION, ActionSpec, bindings, current_keys
from monitor.tui.dashboard import DashboardApp


class MonitorApp(DashboardApp):
    CSS_PATH = "app.tcss"
    TITLE = "monitor"
    BINDINGS = bindings(APP)

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        self.writer()
        if not self.poll_enabled:  # otherwise the first poll, a second from now, catches up
            self.cluster_backlog()
        from monitor.tui.screens.main import MainScreen

        self.push_screen(MainScreen())

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

    async def action_quit(self) -> None:
        """q, as newsboat's: back one level where there is one (the screen says: from the Articles
        or Corpus pane to the events), out of the dashboard at the top."""
        back = getattr(self.screen, "back_one_level", None)
        if back is not None and back():
            return
        await super().action_quit()

    def action_help(self) -> None:
        from monitor.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
