"""Opening a URL in the analyst's browser, and saying truthfully whether that happened."""
from __future__ import annotations

import threading
import webbrowser

from textual.app import App

from monitor.ingest.urls import is_fetchable
from monitor.tui.safe import clean


def open_in_browser(app: App, url: str | None) -> None:
    """Open `url` off the UI thread; the toast says "opened" only when a browser took it."""
    if not url:
        app.notify("This article has no URL", severity="warning", timeout=2)
        return
    if not is_fetchable(url):  # file:, javascript:, data: ... never reach a browser (one URL rule)
        app.notify("not an http(s) link: not opened", severity="warning", timeout=2)
        return

    def run() -> None:
        try:
            opened = webbrowser.open(url)
        except webbrowser.Error:
            opened = False
        if opened:
            message, severity = "Opened in the browser", "information"
        else:
            message, severity = f"No browser could be opened; the URL is {clean(url, limit=120)}", "warning"
        try:
            app.call_from_thread(app.notify, message, severity=severity, timeout=4, markup=False)
        except RuntimeError:  # the app closed meanwhile
            pass

    threading.Thread(target=run, daemon=True, name="browser").start()
