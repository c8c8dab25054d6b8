"""The base of the dashboard's full screens: typed access to the app (mypy checks `self.app.x`)."""
from __future__ import annotations

from textual.screen import Screen

from monitor.tui.typed import OnMonitorApp


class MonitorScreen(OnMonitorApp, Screen[None]):
    """A full screen of the dashboard; the screen mixins (triage, view, polling) build on it."""
