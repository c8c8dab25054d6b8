"""Entry point from the CLI; the dashboard issue replaces the placeholder app."""
from __future__ import annotations

from pathlib import Path

from monitor.config import Config


def run_dashboard(db_path: Path, config: Config, *, poll: bool = True) -> None:
    from monitor.tui.placeholder import PlaceholderApp

    PlaceholderApp(db_path, config).run()
