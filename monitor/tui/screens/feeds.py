"""`H` feed health: every configured feed, failing ones first, with what `monitor feeds` tells.

Feed names, URLs and errors come from the feeds and their servers: shown as plain text
(cleaned of terminal escapes), never as markup.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from monitor.tui.app import MonitorApp
from monitor.tui.safe import clean
from monitor.tui.timefmt import ago, until


def feeds_text(rows: list[dict[str, Any]], now: datetime) -> Text:
    """The screen's text for list_feeds() rows: failing feeds first, then by name."""
    failing = [r for r in rows if r["enabled"] and r["error_count"]]
    text = Text(end="")
    text.append("Feed health", "bold")
    text.append(f"   {len(rows)} feeds, ")
    text.append(f"{len(failing)} failing", "bold red" if failing else "green")
    text.append("   (esc closes; `monitor feeds` lists the same)\n")
    if not rows:
        text.append("\nNo feeds configured: add one with `monitor feeds add NAME URL`.\n")
    for row in sorted(rows, key=lambda r: (not (r["enabled"] and r["error_count"]), r["name"].lower())):
        text.append("\n")
        bad = row["enabled"] and row["error_count"]
        text.append(clean(row["name"], limit=80), "bold red" if bad else "bold")
        state = "disabled" if not row["enabled"] else (row["last_outcome"] or "never polled")
        text.append(f"  {state}", "red" if bad else "dim")
        if row["last_status"]:
            text.append(f", HTTP {row['last_status']}", "dim")
        text.append("\n")
        text.append(f"  {clean(row['url'], limit=120)}\n", "dim")
        articles = f"{row['articles']} articles"
        if row["extraction_failures"]:
            articles += f" ({row['extraction_failures']} without page text)"
        text.append(f"  {articles}; last success {ago(row['last_success_at'], now)}; "
                    f"next poll {until(row['next_poll_at'], now)}")
        text.append(f"; failed {row['error_count']} times in a row\n" if row["error_count"] else "\n")
        if bad and row["last_error"]:
            text.append(f"  last error: {clean(row['last_error'], limit=200)}\n", "red")
        if row["last_problem"]:
            text.append(f"  problem: {clean(row['last_problem'], limit=200)}\n", "yellow")
        if row.get("moved_to"):
            text.append(f"  moved permanently to {clean(row['moved_to'], limit=120)} (update feeds.toml)\n",
                        "yellow")
    return text


class FeedsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,H", "dismiss", "Close", id="feeds.close")]
    app = getters.app(MonitorApp)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="feeds"):
            yield Static(Text("Reading the feeds…"), id="feeds-text")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def load(self) -> None:
        from monitor.store.feeds import list_feeds

        rows = list_feeds(self.app.dbs.thread_db())
        text = feeds_text(rows, self.app.now())
        self.app.call_from_thread(self.query_one("#feeds-text", Static).update, text)
