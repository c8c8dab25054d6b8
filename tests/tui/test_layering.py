"""The dashboard's modules import one way: launch -> app -> screens -> widgets and the app's base.

The screens typed `self.app` against `monitor.tui.app.MonitorApp`, which imports the screens it
composes: a circle (lint-imports' acyclic_siblings contract on monitor.tui keeps it broken too)."""
from __future__ import annotations

from pathlib import Path

from tests.architecture.test_layers import imported_modules

TUI = Path(__file__).resolve().parents[2] / "monitor" / "tui"


def test_only_the_launcher_imports_the_app_that_composes_the_screens():
    importers = sorted(str(path.relative_to(TUI)) for path in TUI.rglob("*.py")
                       if "monitor.tui.app" in imported_modules(path))
    assert importers == ["launch.py"]


def test_the_screens_type_against_the_apps_base():
    base = imported_modules(TUI / "screens" / "base.py")
    assert "monitor.tui.dashboard" in base and "monitor.tui.app" not in base
