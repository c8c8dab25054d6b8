"""What a first run shows beside the corpus: what is configured and what to do next."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from monitor.store.views import StatusSummary
from monitor.tui.safe import clean


def empty_text(summary: StatusSummary | None, feeds_configured: int, failing: list[tuple[str, str]],
               filtered: bool, polling: bool = False) -> Text:
    text = Text(end="")
    if filtered:
        text.append("No event matches this view.\n\n", "bold")
        text.append("Press c to clear the filters and the search, f to change the state filter. "
                    "Corpus documents matching a search are listed on the right.\n")
        return text
    text.append("No events yet.\n\n", "bold")
    corpus = summary.corpus_documents if summary else 0
    articles = summary.feed_articles if summary else 0
    text.append(f"Feeds configured: {feeds_configured}    Feed articles: {articles}    Corpus documents: {corpus}\n\n")
    if not feeds_configured:
        text.append("• Add feeds to feeds.toml ([[feeds]] name, url, tags), or: monitor feeds add NAME URL\n")
    elif polling:  # it said "press p" while the first poll ran, and "Feed articles: 197" beside "No events"
        text.append("• A poll is running (its progress is in the status line): its articles show here as "
                    "events as they are clustered, every 10 s\n")
    else:
        text.append("• Poll the feeds now: press p (or run `monitor poll` from a shell or cron)\n")
    if not corpus:
        text.append("• Import your corpus: monitor import PATH   (.txt .md .html .json .jsonl files or folders)\n")
    else:
        text.append("• The corpus is listed on the right: / searches it, enter opens a document\n")
    text.append("• Press ? for every key, ctrl+p for the command palette\n")
    if failing:
        text.append(f"\nFeeds failing ({len(failing)}):\n", "bold red")
        for name, error in failing[:8]:
            text.append(f"  {clean(name, limit=40)}: {clean(error, limit=80)}\n", "red")
    return text


class EmptyState(Static):
    def show(self, summary: StatusSummary | None, feeds_configured: int, failing: list[tuple[str, str]],
             filtered: bool, polling: bool = False) -> None:
        self.update(empty_text(summary, feeds_configured, failing, filtered, polling))
