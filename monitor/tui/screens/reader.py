"""The reader: one article's extracted text and metadata, with article-level triage keys."""
from __future__ import annotations

from typing import Sequence

from textual import work
from textual.app import ComposeResult

from monitor.store import notes, triage, views
from monitor.tui.actions import READER, bindings
from monitor.tui.browser import open_in_browser
from monitor.tui.messages import ArticleLoaded, DataWritten
from monitor.tui.screens.prompt import PromptThenWrite
from monitor.tui.toasts import Target, triage_toast
from monitor.tui.widgets.article_view import ArticleView
from monitor.tui.widgets.key_hints import KeyHints


class ReaderScreen(PromptThenWrite):
    """The main screen installs one reader and opens every article in it: composing a screen per
    article cost a mount, and removing it on the way back a layout of the whole main screen."""

    BINDINGS = bindings(READER)
    PALETTE = READER
    AUTO_FOCUS = "ArticleView"

    def __init__(self, article_id: int | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self.detail: views.ArticleDetail | None = None
        self._loads = 0
        self._opening = article_id is not None

    def compose(self) -> ComposeResult:
        yield ArticleView(id="reader")
        yield KeyHints(READER, id="hints")

    sequence: tuple[int, ...] = ()  # the articles of the list it was opened from, in its order (J, K)

    def open(self, article_id: int, sequence: Sequence[int] = ()) -> None:
        """Show this article when the screen is next pushed (the previous one is cleared at once);
        J and K then go through `sequence`."""
        self.sequence = tuple(sequence)
        self._clear(article_id)
        self._opening = True

    def _clear(self, article_id: int) -> None:
        self.article_id = article_id
        self.detail = None
        if self.is_mounted:
            view = self.query_one(ArticleView)
            view.show_nothing()
            view.scroll_home(animate=False, immediate=True)

    def on_screen_resume(self) -> None:
        if not self._opening:
            return  # back from a prompt over the reader: the article is already shown
        self._opening = False
        self._read()

    def _read(self) -> None:
        """Load the article and mark it read. Only this screen reloads; the main screen refreshes
        its members when it resumes."""
        self.reload_all()
        article_id = self.article_id
        if article_id is None:
            return
        self.app.write(lambda db: _mark_read(db, article_id), written=DataWritten("article", article_id=article_id))

    def action_next_article(self, step: int = 1) -> None:
        """The next (or previous) article of the list the reader was opened from, without going
        back to it: reading an event's articles took esc, j, enter each."""
        if self.article_id not in self.sequence:
            return
        index = self.sequence.index(self.article_id) + step
        if not 0 <= index < len(self.sequence):
            self.notify(f"No {'next' if step > 0 else 'previous'} article in this list", timeout=2)
            return
        self._clear(self.sequence[index])
        self._read()

    def action_previous_article(self) -> None:
        self.action_next_article(-1)

    def reload_all(self) -> None:
        self._loads += 1
        self.load_article(self.article_id, self._loads)

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def load_article(self, article_id: int, load: int) -> None:
        detail = views.article_detail(self.app.dbs.thread_db(), article_id) if article_id is not None else None
        self.post_message(ArticleLoaded(detail, load))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        # A cancelled thread worker still runs to its end: the read before 'mark read' committed
        # could arrive after the read that follows it, and show the article as unread.
        if message.load != self._loads:
            return
        self.detail = message.detail
        self.query_one(ArticleView).show(message.detail)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_scroll_down(self) -> None:
        self.query_one(ArticleView).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one(ArticleView).scroll_up(animate=False)

    def on_data_written(self, message: DataWritten) -> None:
        if message.scope == "view" or (message.scope == "article" and message.article_id == self.article_id):
            self.reload_all()

    def target(self) -> Target | None:
        if self.article_id is None:
            return None
        return Target("article", self.article_id, self.detail.title if self.detail else "")

    def action_toggle_star(self) -> None:
        target = self.target()
        if target is not None:
            self.app.write(lambda db: triage.toggle_star(db, "article", target.id),
                           toast=lambda r: triage_toast(r, target))

    def action_toggle_read(self) -> None:
        target = self.target()
        if target is not None:
            self.app.write(lambda db: triage.toggle_read(db, "article", target.id),
                           toast=lambda r: triage_toast(r, target))

    def action_tag(self) -> None:
        target = self.target()
        if target is not None:
            self.prompt_then_write(f"Tag {target.named()}   (tab completes)",
                                   lambda db, name: triage.add_tag(db, "article", target.id, name),
                                   toast=lambda r, name: triage_toast(r, target, name),
                                   suggestions=views.all_tags(self.app.dbs.ui))

    def action_note(self) -> None:
        """A note on the article; on one that has a note, `n` edits it (empty text deletes it)."""
        target = self.target()
        if target is None:
            return
        latest = notes.latest_note(self.app.dbs.ui, "article", target.id)
        if latest is None:
            self.prompt_then_write(f"Note on {target.named()}",
                                   lambda db, body: triage.add_note(db, "article", target.id, body),
                                   toast=lambda r, _: triage_toast(r, target))
        else:
            self.prompt_then_write(f"Edit the note on {target.named()}   (empty deletes it)",
                                   lambda db, body: notes.edit_note(db, "article", target.id, latest.id, body),
                                   toast=lambda r, _: triage_toast(r, target), value=latest.body,
                                   empty_allowed=True)

    def action_open_browser(self) -> None:
        open_in_browser(self.app, self.detail.url if self.detail else None)


def _mark_read(db, article_id: int) -> None:
    """Opening an unread article marks it read (logged, so undo restores it)."""
    detail = views.article_detail(db, article_id)
    if detail is not None and detail.status == "new":
        triage.set_status(db, "article", article_id, "read")
