"""The base of the dashboard's full screens: typed access to the app (mypy checks `self.app.x`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from textual import getters

    from monitor.tui.dashboard import DashboardApp


class MonitorScreen(Screen[None]):
    """A full screen of the dashboard; the screen mixins (triage, view, polling) build on it."""

    if TYPE_CHECKING:
        app = getters.app(DashboardApp)  # typed access to the app (see Textual's getters.app)
