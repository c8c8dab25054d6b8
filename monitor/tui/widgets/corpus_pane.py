"""The Corpus pane: documents linked to the selected event, matching the search, or the whole corpus."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from monitor.store.views import CorpusRow
from monitor.tui.actions import NAVIGATION, bindings
from monitor.tui.safe import clean


class CorpusOptions(OptionList):
    BINDINGS = bindings(NAVIGATION)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[CorpusRow] = []

    def action_cursor_top(self) -> None:
        self.action_first()

    def action_cursor_bottom(self) -> None:
        self.action_last()

    @property
    def selected_row(self) -> CorpusRow | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.rows):
            return None
        return self.rows[self.highlighted]

    @property
    def selected_article(self) -> int | None:
        row = self.selected_row
        return row.article_id if row else None


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
    """A titled pane holding the corpus list; the title says which documents are listed."""

    _shown: tuple | None = None
    _heading = "Corpus"

    def compose(self) -> ComposeResult:
        yield CorpusOptions(id="corpus-options")

    def on_mount(self) -> None:
        self.border_title = Text("Corpus")

    def show(self, rows: list[CorpusRow], heading: str, empty: str) -> None:
        if heading != self._heading:  # a new title repaints the pane
            self._heading = heading
            self.border_title = Text(clean(heading, limit=120))
        if self._shown == (tuple(rows), empty):
            return  # the same documents: rebuilding the list would cost a layout pass for nothing
        self._shown = (tuple(rows), empty)
        options = self.query_one(CorpusOptions)
        keep = options.selected_article
        options.clear_options()
        options.rows = list(rows)
        if not rows:
            options.add_option(Option(Text(empty, style="dim"), disabled=True))
            return
        options.add_options(Option(_prompt(row), id=str(row.article_id)) for row in rows)
        options.highlighted = next((i for i, r in enumerate(rows) if r.article_id == keep), 0)
