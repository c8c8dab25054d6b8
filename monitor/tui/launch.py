"""Entry point from the CLI: `monitor` with no command opens the dashboard."""
from __future__ import annotations

import os
from pathlib import Path

from monitor import logs, processes
from monitor.config import Config


def run_dashboard(db_path: Path, config: Config, *, poll: bool = True) -> None:
    """The dashboard, with log records (this process's and its workers' stderr) in the database's
    log file (logs.log_file_for): the terminal is the dashboard's."""
    from monitor.tui.app import MonitorApp

    with logs.to_file(logs.log_file_for(db_path)) as log_path:
        processes.send_worker_stderr_to(str(log_path) if log_path is not None else os.devnull)
        try:
            MonitorApp(db_path, config, poll=poll).run()
        finally:
            processes.send_worker_stderr_to(None)
