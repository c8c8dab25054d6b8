"""The corpus beside the news: documents linked to the selected cluster, or the whole corpus."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from monitor.store.views import CorpusRow
from monitor.tui.actions import NAVIGATION, bindings
from monitor.tui.safe import clean


class CorpusOptions(OptionList):
    BINDINGS = bindings(NAVIGATION)

    def action_cursor_top(self) -> None:
        self.action_first()

    def action_cursor_bottom(self) -> None:
        self.action_last()

    @property
    def selected_article(self) -> int | None:
        if self.highlighted is None or self.option_count == 0:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        return int(option_id) if option_id else None


def _prompt(row: CorpusRow) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    if row.score is not None:
        text.append(f"{row.score:.2f} ", "green")
    text.append(clean(row.title, limit=200) or "(untitled)", "bold")
    detail = ", ".join(row.terms[:4]) if row.terms else clean(row.source, limit=60)
    if detail:
        text.append(f"  {clean(detail, limit=60)}", "dim")
    return text


class CorpusPane(Vertical):
    """Heading plus a list; `whole` switches between linked documents and the whole corpus."""

    def compose(self) -> ComposeResult:
        yield Label("Corpus", id="corpus-heading")
        yield CorpusOptions(id="corpus-options")

    _shown: tuple | None = None

    def show(self, rows: list[CorpusRow], heading: str, empty: str) -> None:
        self.query_one("#corpus-heading", Label).update(Text(heading, style="bold"), layout=False)
        if self._shown == (tuple(rows), empty):
            return  # the same documents: rebuilding the list would cost a layout pass for nothing
        self._shown = (tuple(rows), empty)
        options = self.query_one(CorpusOptions)
        keep = options.selected_article
        options.clear_options()
        if not rows:
            options.add_option(Option(Text(empty, style="dim"), disabled=True))
            return
        options.add_options(Option(_prompt(row), id=str(row.article_id)) for row in rows)
        index = next((i for i, r in enumerate(rows) if r.article_id == keep), 0)
        options.highlighted = index
