"""Entry point from the CLI: `monitor` with no command opens the dashboard."""
from __future__ import annotations

from pathlib import Path

from monitor.config import Config


def run_dashboard(db_path: Path, config: Config, *, poll: bool = True) -> None:
    from monitor.tui.app import MonitorApp

    MonitorApp(db_path, config, poll=poll).run()
