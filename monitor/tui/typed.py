"""Typed access to the dashboard app from screens and widgets, so mypy checks `self.app.<attr>`.

Textual types `node.app` as a plain `App`; this mixin narrows it (for the checker only) to the
`MonitorApp` every screen of the dashboard runs in.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.tui.app import MonitorApp


class OnMonitorApp:
    if TYPE_CHECKING:
        @property
        def app(self) -> MonitorApp: ...
