"""Typed foundations for the dashboard's screens.

`MonitorScreen.app` is the running `MonitorApp` (Textual's typed getter), so screens reach its
connections, clock and writer with types a checker can follow. The main screen's mixins type
themselves against `MainScreenHost`, the part of the main screen they call; at run time it is a
plain object, so the mixins add nothing to the screen's class hierarchy.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters
from textual.screen import Screen

from monitor.tui.app import MonitorApp


class MonitorScreen(Screen[None]):
    app = getters.app(MonitorApp)


if TYPE_CHECKING:
    from textual.worker import Worker

    from monitor.store import views
    from monitor.tui.widgets.cluster_list import Position

    class MainScreenHost(MonitorScreen):
        """What the main screen's mixins (triage actions, polling) use of the screen."""

        filter: views.ClusterFilter
        merge_source: int | None
        _polling: bool

        def reload_all(self) -> None: ...
        def load_view(self, flt: views.ClusterFilter, position: Position) -> Worker[None]: ...
else:
    MainScreenHost = object
