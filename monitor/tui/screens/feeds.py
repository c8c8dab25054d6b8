"""`H` feed health: every configured feed, failing ones first, with what `monitor feeds` tells.

Feed names, URLs and errors come from the feeds and their servers: shown as plain text
(cleaned of terminal escapes), never as markup.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from monitor.ingest.health import failing_first
from monitor.text.plural import counted
from monitor.tui.safe import clean
from monitor.tui.screens.prompt import PromptScreen
from monitor.tui.screens.scroll_keys import scroll, scroll_bindings
from monitor.tui.timefmt import ago, until

if TYPE_CHECKING:
    from textual import getters

    from monitor.tui.dashboard import DashboardApp


def feeds_text(rows: list[dict[str, Any]], now: datetime) -> Text:
    """The screen's text for list_feeds() rows: failing feeds first, then by name."""
    feeds = failing_first(rows)
    failing = sum(feed.failing for feed in feeds)
    text = Text(end="")
    text.append("Feed health", "bold")
    text.append(f"   {len(feeds)} feeds, ")
    text.append(f"{failing} failing", "bold red" if failing else "green")
    text.append("   (p polls one feed now; esc closes; `monitor feeds` lists the same)\n")
    if not feeds:
        text.append("\nNo feeds configured: add one with `monitor feeds add NAME URL`.\n")
    for feed in feeds:
        text.append("\n")
        text.append(clean(feed.name, limit=80), "bold red" if feed.failing else "bold")
        text.append(f"  {feed.state}", "red" if feed.failing else "dim")
        if feed.status:
            text.append(f", HTTP {feed.status}", "dim")
        text.append("\n")
        text.append(f"  {clean(feed.url, limit=120)}\n", "dim")
        articles = counted(feed.articles, "article")
        if feed.without_text:
            articles += f" ({feed.without_text} without page text)"
        text.append(f"  {articles}; last success {ago(feed.last_success_at, now)}; "
                    f"next poll {until(feed.next_poll_at, now)}")
        text.append(f"; failed {feed.errors} times in a row\n" if feed.errors else "\n")
        if feed.error:
            text.append(f"  last error: {clean(feed.error, limit=200)}\n", "red")
        if feed.problem:
            text.append(f"  problem: {clean(feed.problem, limit=200)}\n", "yellow")
        if feed.moved_to:
            text.append(f"  moved permanently to {clean(feed.moved_to, limit=120)} (update feeds.toml)\n",
                        "yellow")
    return text


class FeedsScreen(ModalScreen[str | None]):
    """Returns the name of a feed to poll now (p), or None."""

    if TYPE_CHECKING:
        app = getters.app(DashboardApp)

    BINDINGS = [Binding("escape,q,H", "close", "Close", id="feeds.close"),
                Binding("p", "poll_feed", "Poll one feed now", id="feeds.poll"), *scroll_bindings("feeds")]

    def action_scroll_view(self, how: str) -> None:
        scroll(self.query_one("#feeds", VerticalScroll), how)

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
        self.app.call_from_thread(self._show, rows, text)

    def _show(self, rows: list[dict[str, Any]], text: Text) -> None:
        self.names = [row["name"] for row in rows if row["enabled"]]
        self.query_one("#feeds-text", Static).update(text)

    names: list[str] = []

    def action_close(self) -> None:
        self.dismiss(None)

    def action_poll_feed(self) -> None:
        def chosen(name: str | None) -> None:
            if name and name.strip() in self.names:
                self.dismiss(name.strip())
            elif name and name.strip():
                self.app.notify(f"No enabled feed named {clean(name, limit=60)}", severity="warning",
                                timeout=3, markup=False)

        self.app.push_screen(PromptScreen("Poll which feed now? (tab completes)", suggestions=self.names), chosen)
