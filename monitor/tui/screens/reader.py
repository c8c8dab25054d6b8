"""The reader: one article's extracted text and metadata, with article-level triage keys."""
from __future__ import annotations

import threading
import webbrowser

from textual import work
from textual.app import ComposeResult

from monitor.ingest.urls import is_fetchable
from monitor.store import triage, views
from monitor.tui.actions import READER, bindings
from monitor.tui.messages import ArticleLoaded
from monitor.tui.screens.base import MonitorScreen
from monitor.tui.screens.prompt import PromptScreen
from monitor.tui.widgets.article_view import ArticleView
from monitor.tui.widgets.key_hints import KeyHints


class ReaderScreen(MonitorScreen):
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

    def open(self, article_id: int) -> None:
        """Show this article when the screen is next pushed (the previous one is cleared at once)."""
        self.article_id = article_id
        self.detail = None
        self._opening = True
        if self.is_mounted:
            view = self.query_one(ArticleView)
            view.show_nothing()
            view.scroll_home(animate=False, immediate=True)

    def on_screen_resume(self) -> None:
        if not self._opening:
            return  # back from a prompt over the reader: the article is already shown
        self._opening = False
        self.reload_all()
        # Only this screen reloads; the main screen refreshes its members when it resumes.
        article_id = self._shown()
        self.app.write(lambda db: _mark_read(db, article_id), reload=False, then=self.reload_all)

    def _shown(self) -> int:
        """The article on screen (the reader's keys act only once one is open)."""
        assert self.article_id is not None, "no article is open"
        return self.article_id

    def reload_all(self) -> None:
        self._loads += 1
        self.load_article(self.article_id, self._loads)

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def load_article(self, article_id: int, load: int) -> None:
        self.post_message(ArticleLoaded(views.article_detail(self.app.dbs.thread_db(), article_id), load))

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

    def action_toggle_star(self) -> None:
        self.app.write(lambda db: triage.toggle_star(db, "article", self._shown()))

    def action_toggle_read(self) -> None:
        self.app.write(lambda db: triage.toggle_read(db, "article", self._shown()))

    def action_tag(self) -> None:
        def chosen(value: str | None) -> None:
            if value and value.strip():
                self.app.write(lambda db: triage.add_tag(db, "article", self._shown(), value))

        self.app.push_screen(PromptScreen(f"Tag article {self.article_id} (tab completes)",
                                          suggestions=views.all_tags(self.app.dbs.ui)), chosen)

    def action_note(self) -> None:
        def chosen(value: str | None) -> None:
            if value and value.strip():
                self.app.write(lambda db: triage.add_note(db, "article", self._shown(), value))

        self.app.push_screen(PromptScreen(f"Note on article {self.article_id}"), chosen)

    def action_open_browser(self) -> None:
        if self.detail and self.detail.url and not is_fetchable(self.detail.url):
            self.notify("not an http(s) link: not opened", severity="warning", timeout=2)  # file:, javascript:...
        elif self.detail and self.detail.url:
            threading.Thread(target=webbrowser.open, args=(self.detail.url,), daemon=True).start()
            self.notify("opened in the browser", timeout=2)
        else:
            self.notify("this article has no URL", severity="warning", timeout=2)


def _mark_read(db, article_id: int) -> None:
    """Opening an unread article marks it read (logged, so undo restores it)."""
    detail = views.article_detail(db, article_id)
    if detail is not None and detail.status == "new":
        triage.set_status(db, "article", article_id, "read")
