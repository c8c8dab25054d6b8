"""Entry point from the CLI: `monitor` with no command opens the dashboard."""
from __future__ import annotations

import os
from pathlib import Path

from monitor import logs, processes
from monitor.config import Config, check_keymap


def binding_ids() -> set[str]:
    """The id of every dashboard binding: the actions' table and the screens' own keys."""
    from textual.binding import Binding

    from monitor.tui.actions import ALL
    from monitor.tui.screens import brief, feeds, help, prompt, saved_views

    ids = {spec.id for spec in ALL}
    for holder in (brief.EventBriefScreen, feeds.FeedsScreen, help.HelpScreen, prompt.PromptScreen,
                   prompt.CompletingInput, saved_views.SavedViewsScreen):
        ids.update(b.id for b in holder.BINDINGS if isinstance(b, Binding) and b.id)
    return ids


def run_dashboard(db_path: Path, config: Config, *, poll: bool = True) -> None:
    """The dashboard, with log records (this process's and its workers' stderr) in the database's
    log file (logs.log_file_for): the terminal is the dashboard's. A [keymap] id that names no
    binding is a configuration error before the screen is taken."""
    from monitor.tui.app import MonitorApp

    check_keymap(config, binding_ids())
    with logs.to_file(logs.log_file_for(db_path)) as log_path:
        processes.send_worker_stderr_to(str(log_path) if log_path is not None else os.devnull)
        try:
            MonitorApp(db_path, config, poll=poll).run()
        finally:
            processes.send_worker_stderr_to(None)
