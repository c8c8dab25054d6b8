"""The main screen: clusters, the selected cluster's members, the corpus pane and the status line.

Loading happens in thread workers that post Messages back; the screen changes widgets only in
message handlers. A timer watches `PRAGMA data_version`, so what cron writes shows within seconds.
"""
from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from sqlite_utils import Database
from textual.widgets import OptionList, Static

from monitor.store import open_db, views
from monitor.tui.actions import MAIN, bindings
from monitor.tui.messages import (CorpusLoaded, DataChanged, DetailLoaded,
                                  StatusLoaded, ViewLoaded)
from monitor.tui.screens.base import MonitorScreen
from monitor.tui.screens.polling import Polling
from monitor.tui.screens.triage_actions import TriageActions
from monitor.tui.widgets.cluster_list import ClusterList, Position, header_text
from monitor.tui.widgets.corpus_pane import CorpusOptions, CorpusPane
from monitor.tui.widgets.empty_state import EmptyState
from monitor.tui.widgets.member_list import MemberList, why_text
from monitor.tui.widgets.key_hints import KeyHints
from monitor.tui.widgets.status_line import StatusLine

WATCH_SECONDS = 1.5
STATUS_SECONDS = 30.0
POLL_TICK_MAX = 60


class MainScreen(Polling, TriageActions, MonitorScreen):
    BINDINGS = bindings(MAIN)
    PALETTE = MAIN
    AUTO_FOCUS = "#clusters"

    def __init__(self) -> None:
        super().__init__()
        self.filter = views.ClusterFilter()
        self.whole_corpus = False
        self.merge_source: int | None = None
        self.detail_for: int | None = None
        self._polling = False
        self._loaded = False
        self._failing: list[tuple[str, str]] = []
        self._watch_db: Database | None = None  # opened on mount
        self._header_width = -1

    # -- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Static("", id="cluster-header")
                yield ClusterList(self._fetch_rows, self.app.now, id="clusters")
                yield EmptyState("", id="empty")
            with Vertical(id="right"):
                yield MemberList(self.app.now, id="members")
                yield Static("", id="member-why")
                yield CorpusPane(id="corpus")
        yield StatusLine(id="status")
        yield KeyHints(MAIN, id="hints")

    def on_mount(self) -> None:
        self.query_one("#empty").display = False
        # The baseline is taken before the first load, so nothing committed after it is missed.
        self._watch_db = open_db(self.app.db_path, migrate=False)
        self._version = self._data_version()
        self.reload_all()
        self.load_corpus()
        self.set_interval(WATCH_SECONDS, self.watch_changes)
        self.set_interval(STATUS_SECONDS, self.load_status)
        if self.app.poll_enabled:
            tick = max(5, min(self.app.config.poll.interval, POLL_TICK_MAX))
            self.set_timer(1.0, self.action_poll_now)
            self.set_interval(tick, self.action_poll_now)

    def on_screen_resume(self) -> None:
        if self.detail_for is not None:
            self.load_detail(self.detail_for)  # read marks may have changed in the reader

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")
        self._update_header()

    def on_cluster_list_content_width(self, message: ClusterList.ContentWidth) -> None:
        self._set_header(message.width)

    def _update_header(self) -> None:
        clusters = self.query_one(ClusterList)
        self._set_header(clusters.scrollable_content_region.width or clusters.size.width)

    def _set_header(self, width: int) -> None:
        if width != self._header_width:  # the same header again would still cost a render
            self._header_width = width
            self.query_one("#cluster-header", Static).update(header_text(width), layout=False)

    def _fetch_rows(self, ids):
        return views.cluster_rows(self.app.dbs.ui, ids)

    # -- loading (workers) ------------------------------------------------------------------
    def reload_all(self) -> None:
        self.load_view(self.filter, self.query_one(ClusterList).position())
        self.load_status()
        if self.detail_for is not None:
            self.load_detail(self.detail_for)

    def refresh_cluster_row(self, cluster_id: int) -> None:
        """Only this row changed (e.g. it was opened, so its growth mark goes): re-read just it.

        The watcher's baseline is left alone: a commit by another process in the meantime still
        triggers a full reload on the next tick."""
        self.query_one(ClusterList).refresh_row(cluster_id)

    def after_write(self) -> None:
        """Our own write committed: reload now, and do not reload again when the watcher sees it.

        The baseline is read before the reload starts, so a commit by another process in between
        is either in this reload or seen by the next watch tick: nothing is missed.
        """
        self._version = self._data_version()
        self.reload_all()

    def _data_version(self) -> int:
        assert self._watch_db is not None, "the watch connection opens on mount"
        return views.data_version(self._watch_db)

    @work(thread=True, exclusive=True, group="view", exit_on_error=False)
    def load_view(self, flt: views.ClusterFilter, position: Position) -> None:
        db = self.app.dbs.thread_db()
        ids = views.cluster_ids(db, flt)
        self.post_message(ViewLoaded(flt, ids, views.cluster_rows(db, position.rows_to_fetch(ids))))

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def load_detail(self, cluster_id: int) -> None:
        db = self.app.dbs.thread_db()
        self.post_message(DetailLoaded(cluster_id, views.cluster_members(db, cluster_id),
                                       views.corpus_for_cluster(db, cluster_id), views.cluster_notes(db, cluster_id)))

    @work(thread=True, exclusive=True, group="corpus", exit_on_error=False)
    def load_corpus(self) -> None:
        self.post_message(CorpusLoaded(views.corpus_documents(self.app.dbs.thread_db())))

    @work(thread=True, exclusive=True, group="status", exit_on_error=False)
    def load_status(self) -> None:
        db = self.app.dbs.thread_db()
        self.post_message(StatusLoaded(views.status_summary(db, self.app.now()), views.failing_feeds(db)))

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def watch_changes(self) -> None:
        version = self._data_version()
        if version != self._version:
            self._version = version
            self.post_message(DataChanged())

    # -- message handlers -------------------------------------------------------------------
    def on_view_loaded(self, message: ViewLoaded) -> None:
        if message.filter != self.filter:
            return  # a newer filter is loading
        clusters = self.query_one(ClusterList)
        clusters.load(message.ids, message.rows)
        if not self._loaded:
            self.call_after_refresh(self.app.first_view_shown)
        self._loaded = True
        self._update_header()
        self._show_empty()
        if not message.ids:
            self.detail_for = None
            self.query_one(MemberList).show([])
            self._show_corpus([], None)

    def _show_empty(self) -> None:
        clusters = self.query_one(ClusterList)
        empty = not clusters.ids and self._loaded
        clusters.display = not empty
        self.query_one("#cluster-header").display = not empty
        panel = self.query_one(EmptyState)
        panel.display = empty
        self.query_one("#right").display = not empty
        self.set_class(empty, "-empty")
        if empty:
            status = self.query_one(StatusLine).summary
            filtered = self.filter != views.ClusterFilter(sort=self.filter.sort) or bool(status and status.clusters)
            panel.show(status, len(self.app.config.feeds), self._failing, filtered)

    @on(ClusterList.Highlighted)
    def _cluster_highlighted(self, message: ClusterList.Highlighted) -> None:
        if message.cluster_id is not None and message.cluster_id != self.detail_for:
            self.detail_for = message.cluster_id
            self.load_detail(message.cluster_id)

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        if message.cluster_id != self.detail_for:
            return
        self.query_one(MemberList).show(message.members)
        if not message.members:
            self.query_one("#member-why", Static).update("", layout=False)
        self._linked = message.corpus
        if not self.whole_corpus:
            self._show_corpus(message.corpus, message.cluster_id)

    def _show_corpus(self, rows, cluster_id) -> None:
        self.query_one(CorpusPane).show(rows, f"Corpus linked to cluster {cluster_id}" if cluster_id else "Corpus",
                                        "No corpus document is linked to this cluster (C: whole corpus)")

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        self._corpus = message.documents
        if self.whole_corpus:
            self.query_one(CorpusPane).show(message.documents, f"Whole corpus ({len(message.documents)})",
                                            "The corpus is empty: monitor import PATH")

    def on_status_loaded(self, message: StatusLoaded) -> None:
        self._failing = message.failing
        self.query_one(StatusLine).show(message.summary, self.app.now())
        self._show_empty()

    def on_data_changed(self, message: DataChanged) -> None:
        self.reload_all()
        self.load_corpus()

    # -- opening and panes --------------------------------------------------------------------
    def action_open(self) -> None:
        focused = self.focused
        if isinstance(focused, MemberList) and focused.selected:
            self._open_article(focused.selected.article_id)
        elif isinstance(focused, CorpusOptions) and focused.selected_article:
            self._open_article(focused.selected_article)
        else:
            cluster_id = self.query_one(ClusterList).selected_id
            if cluster_id is not None:
                self.open_cluster(cluster_id)

    def open_cluster(self, cluster_id: int) -> None:
        from monitor.store.triage import mark_seen

        self.app.write(lambda db: mark_seen(db, cluster_id), reload=False, cluster_id=cluster_id)
        self.query_one(MemberList).focus()

    @on(MemberList.Selected)
    def _member_selected(self, event: MemberList.Selected) -> None:
        self._open_article(event.member.article_id)

    @on(MemberList.Highlighted)
    def _member_highlighted(self, event: MemberList.Highlighted) -> None:
        member = self.query_one(MemberList).selected
        why = self.query_one("#member-why", Static)
        why.update(why_text(member) if member else "", layout=False)

    @on(OptionList.OptionSelected, "#corpus-options")
    def _corpus_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._open_article(int(event.option.id))

    def _open_article(self, article_id: int) -> None:
        from monitor.tui.screens.reader import ReaderScreen

        if not self.app.is_screen_installed("reader"):
            self.app.install_screen(ReaderScreen(), "reader")
        reader = self.app.get_screen("reader", ReaderScreen)
        reader.open(article_id)
        self.app.push_screen(reader)

    def action_back(self) -> None:
        if not isinstance(self.focused, ClusterList):
            self.query_one(ClusterList).focus()
        elif self.merge_source is not None:
            self.merge_source = None
            self.notify("merge cancelled", timeout=2)
        elif self.filter.query:
            self.set_filter(query=None)

    def _panes(self) -> list:
        return [self.query_one(ClusterList), self.query_one(MemberList), self.query_one(CorpusOptions)]

    def action_switch_pane(self, step: int = 1) -> None:
        panes = self._panes()
        index = next((i for i, p in enumerate(panes) if p is self.focused), 0)
        panes[(index + step) % len(panes)].focus()

    def action_switch_pane_back(self) -> None:
        self.action_switch_pane(-1)

    def action_toggle_corpus(self) -> None:
        self.whole_corpus = not self.whole_corpus
        if self.whole_corpus:
            docs = getattr(self, "_corpus", [])
            self.query_one(CorpusPane).show(docs, f"Whole corpus ({len(docs)})", "The corpus is empty: monitor import PATH")
            self.load_corpus()
        else:
            self._show_corpus(getattr(self, "_linked", []), self.detail_for)

    def action_brief(self) -> None:
        from monitor.tui.screens.brief import EventBriefScreen

        cluster_id = self.query_one(ClusterList).selected_id
        if cluster_id is not None:
            self.app.push_screen(EventBriefScreen(cluster_id))

    def action_feeds(self) -> None:
        from monitor.tui.screens.feeds import FeedsScreen

        self.app.push_screen(FeedsScreen())
