"""A first screen until the dashboard lands: what is in the database and what to do next."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from monitor.config import Config
from monitor.store import open_db
from monitor.store.stats import collect_stats


class PlaceholderApp(App):
    TITLE = "monitor"
    BINDINGS = [Binding("q", "quit", "Quit", id="app.quit")]

    def __init__(self, db_path: Path, config: Config):
        super().__init__()
        self.db_path = db_path
        self.config = config

    def compose(self) -> ComposeResult:
        yield Header()
        stats = collect_stats(open_db(self.db_path))
        lines = [
            f"Database: {self.db_path}",
            f"Feeds configured: {len(self.config.feeds)}",
            f"Corpus documents: {stats['corpus_documents']}   Feed articles: {stats['feed_articles']}",
            "",
            "Import a corpus:  monitor import PATH...",
            "Poll feeds:       monitor poll",
        ]
        yield Static(Text("\n".join(lines)), id="placeholder")
        yield Footer()
