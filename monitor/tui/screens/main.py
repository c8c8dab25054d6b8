"""The main screen: the Events pane, the selected event's tags, notes and Articles, the Corpus pane,
and the status line.

Loading happens in thread workers that post Messages back; the screen changes widgets only in
message handlers. A timer watches `PRAGMA data_version`, so what cron writes shows within seconds.
With no event yet the corpus is listed (and searchable) beside the first-run help.
"""
from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import OptionList, Static

from monitor.store import open_db, views
from monitor.store.brief import EventBrief, event_brief
from monitor.store.corpus_search import corpus_matching
from monitor.store.watch import unseen_watch_hits
from monitor.tui.actions import MAIN, bindings
from monitor.tui.messages import (CorpusLoaded, DataChanged, DataWritten, DetailLoaded, StatusLoaded,
                                  ViewLoaded)
from monitor.tui.screens.polling import Polling
from monitor.tui.screens.triage_actions import TriageActions
from monitor.tui.screens.watch_rule import WatchRuleAction
from monitor.tui.widgets.cluster_list import ClusterList, Position, stemless_hint
from monitor.tui.widgets.corpus_pane import CorpusOptions, CorpusPane
from monitor.tui.widgets.empty_state import EmptyState
from monitor.tui.widgets.event_header import event_header
from monitor.tui.widgets.key_hints import hints_text
from monitor.tui.widgets.member_list import MemberList, why_text
from monitor.tui.widgets.status_line import StatusLine

WATCH_SECONDS = 1.5
STATUS_SECONDS = 30.0
POLL_TICK_MAX = 60
CORPUS_MATCHES = 200


class MainScreen(Polling, TriageActions, WatchRuleAction):
    BINDINGS = bindings(MAIN)
    PALETTE = MAIN
    AUTO_FOCUS = "#clusters"

    def __init__(self) -> None:
        super().__init__()
        self.filter = views.ClusterFilter()
        self.whole_corpus = False
        self.detail_for: int | None = None
        self._members_for: int | None = None  # the event whose articles are shown
        self._entering: int | None = None  # an event just entered: its newest unread article takes the cursor
        self._notes: list[str] = []
        self._brief: EventBrief | None = None
        self._brief_for: int | None = None  # the event whose brief heads its articles
        self._detail_loads = 0  # loads of the selected event started: the latest is shown
        self._info: Text | None = None
        self._corpus_query: str | None = None
        self._linked: list[views.CorpusRow] = []
        self._corpus: list[views.CorpusRow] = []
        self._matches: list[views.CorpusRow] = []
        self._loaded = False
        self._failing: list[tuple[str, str]] = []
        self._watch_seen = -1  # unseen watch hits last shown (-1: not yet read)
        self._opened_from: Widget | None = None
        # The event entered and its size when the analyst had last opened it: its ● marks (what
        # joined since) stay while the analyst is in it, though entering records the new look.
        self._visit: tuple[int, int] | None = None
        self.init_marks()

    # -- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield ClusterList(self._fetch_rows, self.app.now, id="clusters")
                yield EmptyState("", id="empty")
            with Vertical(id="right"):
                yield Static("", id="event-info")
                yield MemberList(self.app.now, id="members")
                yield Static("", id="member-why")
                yield CorpusPane(id="corpus")
        keymap = dict(self.app.keymap)
        yield StatusLine(lambda width: hints_text(MAIN, keymap, width), id="status")

    def on_mount(self) -> None:
        self.query_one(ClusterList).border_title = "Events"
        self.query_one(MemberList).border_title = "Articles"
        self.query_one("#empty").display = False
        # The baseline is taken before the first load, so nothing committed after it is missed.
        self._watch_db = open_db(self.app.db_path, migrate=False)
        self._version = views.data_version(self._watch_db)
        self.reload_all()
        self.load_corpus()
        self.set_interval(WATCH_SECONDS, self.watch_changes)
        self.set_interval(STATUS_SECONDS, self.load_status)
        if self.app.poll_enabled:
            tick = max(5, min(self.app.config.poll.interval, POLL_TICK_MAX))
            self.set_timer(1.0, self.poll_due)
            self.set_interval(tick, self.poll_due)

    def on_screen_resume(self) -> None:
        if self.detail_for is not None:
            self.load_detail(self.detail_for)  # read marks may have changed in the reader
        if self._opened_from is not None and self._opened_from.is_attached:
            self._opened_from.focus()  # the reader returns where it was opened from
            self._follow_reader(self._opened_from)
        self._opened_from = None

    def _follow_reader(self, pane: Widget) -> None:
        """The list's cursor on the article the reader showed last (J and K move it there)."""
        if not self.app.is_screen_installed("reader"):
            return
        article_id = getattr(self.app.get_screen("reader"), "article_id", None)
        if isinstance(pane, MemberList):
            pane.select(article_id)
        elif isinstance(pane, CorpusOptions):
            index = next((i for i, row in enumerate(pane.rows) if row.article_id == article_id), None)
            if index is not None:
                pane.highlighted = index

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")
        self._give_room_to_focus()

    def on_descendant_focus(self) -> None:
        self._give_room_to_focus()

    def _give_room_to_focus(self) -> None:
        """Under 100 columns the Events pane takes 64% of the width; with the Articles or Corpus pane
        focused, that side takes it instead: at 80 columns the Articles pane was 29 cells wide, its
        titles cut to ten characters ("Update 10…") while the analyst read down an event."""
        reading = self.has_class("-narrow") and not self.has_class("-empty") and self.focused is not None \
            and not isinstance(self.focused, ClusterList)
        if reading != self.has_class("-reading"):
            self.set_class(reading, "-reading")

    def _fetch_rows(self, ids):
        return views.cluster_rows(self.app.dbs.ui, ids)

    # -- loading (workers) ------------------------------------------------------------------
    def reload_all(self) -> None:
        self.load_view(self.filter, self.query_one(ClusterList).position())
        self.load_status()
        if self.detail_for is not None:
            self.load_detail(self.detail_for)

    def on_data_written(self, message: DataWritten) -> None:
        """Our own write committed: reload now, and do not reload again when the watcher sees it.

        The baseline is read before the reload starts, so a commit by another process in between
        is either in this reload or seen by the next watch tick: nothing is missed. A write that
        changed one event's row (it was opened) re-reads just that row."""
        if message.scope == "cluster_row" and message.cluster_id is not None:
            self.query_one(ClusterList).refresh_cluster(message.cluster_id)
        elif message.scope == "view":
            self._version = views.data_version(self._watch_db)
            self.reload_all()
            self.load_corpus()

    @work(thread=True, exclusive=True, group="view", exit_on_error=False)
    def load_view(self, flt: views.ClusterFilter, position: Position) -> None:
        db = self.app.dbs.thread_db()
        ids = views.cluster_ids(db, flt)
        self.post_message(ViewLoaded(flt, ids, views.cluster_rows(db, position.rows_to_fetch(ids))))

    def load_detail(self, cluster_id: int) -> None:
        """Read the event's members, notes and brief; only the latest load is shown (a superseded
        thread worker still runs to its end, and read before a write committed)."""
        self._detail_loads += 1
        self._load_detail(cluster_id, self._detail_loads, self._seen_at_visit(cluster_id))

    def _seen_at_visit(self, cluster_id: int) -> int | None:
        """The event's size when the analyst had last opened it, while they are in it (else None)."""
        return self._visit[1] if self._visit is not None and self._visit[0] == cluster_id else None

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _load_detail(self, cluster_id: int, load: int, seen: int | None) -> None:
        """The members with the brief that heads them, in one message (one update of the pane).

        The brief's modules are imported with this screen, not by the first brief: imported here,
        they held the GIL while the first members were being painted."""
        db = self.app.dbs.thread_db()
        self.post_message(DetailLoaded(cluster_id, views.cluster_members(db, cluster_id, seen_size=seen),
                                       views.corpus_for_cluster(db, cluster_id), views.cluster_notes(db, cluster_id),
                                       event_brief(db, cluster_id), load))

    @work(thread=True, exclusive=True, group="corpus", exit_on_error=False)
    def load_corpus(self) -> None:
        db = self.app.dbs.thread_db()
        query = self._corpus_query = self.filter.query
        matches = corpus_matching(db, query, CORPUS_MATCHES) if query else []
        self.post_message(CorpusLoaded(views.corpus_documents(db), query, matches))

    @work(thread=True, exclusive=True, group="status", exit_on_error=False)
    def load_status(self) -> None:
        db = self.app.dbs.thread_db()
        self.post_message(StatusLoaded(views.status_summary(db, self.app.now()), views.failing_feeds(db),
                                       unseen_watch_hits(db)))

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def watch_changes(self) -> None:
        version = views.data_version(self._watch_db)
        if version != self._version:
            self._version = version
            self.post_message(DataChanged())

    def view_changed(self) -> None:
        self.load_view(self.filter, self.query_one(ClusterList).position())
        if self.filter.query != self._corpus_query:
            self.load_corpus()  # the Corpus pane lists the search's matches

    def poll_done(self) -> None:
        self.reload_all()
        self.load_corpus()

    def poll_started(self) -> None:
        self._show_empty()  # the first-run help says a poll runs rather than "press p"

    # -- message handlers -------------------------------------------------------------------
    def on_view_loaded(self, message: ViewLoaded) -> None:
        if message.filter != self.filter:
            return  # a newer filter is loading
        clusters = self.query_one(ClusterList)
        clusters.empty_hint = stemless_hint(self.filter.query) if not message.ids else ""
        clusters.load(message.ids, message.rows)
        if not self._loaded:
            self.call_after_refresh(self.app.first_view_shown)
        self._loaded = True
        self._show_empty()
        if not message.ids:
            self.detail_for = None
            self._members_for = None
            self.query_one(MemberList).show([])
            self.query_one("#member-why", Static).update("", layout=False)
        self._show_event_info()  # the row's tags may have changed
        self._show_corpus()

    def _show_empty(self) -> None:
        """With no event at all, the first-run help beside the corpus. A view that a filter emptied
        keeps its panes (the Events pane says so in its body): no layout change on the way."""
        clusters = self.query_one(ClusterList)
        status = self.query_one(StatusLine).summary
        default = self.filter == views.ClusterFilter(sort=self.filter.sort)
        empty = not clusters.ids and self._loaded and (default or bool(status and not status.clusters))
        panel = self.query_one(EmptyState)
        if empty:
            panel.show(status, len(self.app.config.feeds), self._failing, not default, self._polling)
        if empty == self.has_class("-empty"):
            return  # as it is: showing it again would still cost a layout
        self.set_class(empty, "-empty")
        clusters.display = not empty
        panel.display = empty
        for part in ("#event-info", "#members", "#member-why"):
            self.query_one(part).display = not empty
        if empty:
            self.query_one(CorpusOptions).focus()  # the corpus is what there is to read
        else:
            clusters.focus()
        self._give_room_to_focus()

    @on(ClusterList.Highlighted)
    def _cluster_highlighted(self, message: ClusterList.Highlighted) -> None:
        if message.cluster_id is not None and message.cluster_id != self.detail_for:
            self.detail_for = message.cluster_id
            self._visit = None  # another event: the visit is over
            self._show_event_info()
            self.load_detail(message.cluster_id)

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        if message.cluster_id != self.detail_for or message.load != self._detail_loads:
            return  # another event is selected, or a later load of this one is on its way
        entering = self._entering == message.cluster_id
        if entering:
            self._entering = None
        self.query_one(MemberList).show(message.members, newest_unread=entering,
                                        same_event=self._members_for == message.cluster_id)
        self._members_for = message.cluster_id
        if not message.members:
            self.query_one("#member-why", Static).update("", layout=False)
        self._linked = message.corpus
        self._notes = message.notes
        self._brief, self._brief_for = message.brief, message.cluster_id
        self._show_event_info()
        self._show_corpus()

    def detail_shown(self) -> bool:
        return self._members_for == self.detail_for is not None

    def identity_suggestions(self) -> list[str]:
        brief = self._brief if self._brief_for == self.detail_for else None
        if brief is None:
            return []
        quoted = lambda text: f'"{text}"' if " " in text else text  # noqa: E731
        return ([f"where:{quoted(p.name)}" for p in brief.identity.places]
                + [f"who:{quoted(n.name)}" for n in brief.identity.names])

    def _show_event_info(self) -> None:
        row = self.query_one(ClusterList).selected_row
        notes = self._notes if self._members_for == self.detail_for else []
        brief = self._brief if self._brief_for == self.detail_for else None
        info = event_header(brief, row.tags if row else (), notes, waiting=self.detail_for is not None)
        if info != self._info:  # the same lines again would still cost a repaint
            self._info = info
            self.query_one("#event-info", Static).update(info, layout=False)

    def _show_corpus(self) -> None:
        """What the Corpus pane lists: matches of the search, the whole corpus (C, or no event yet),
        or the documents linked to the selected event."""
        pane = self.query_one(CorpusPane)
        if self.filter.query:
            pane.show(self._matches, f"Corpus matching the search ({len(self._matches)})",
                      "No corpus document matches the search")
        elif self.whole_corpus or not self.query_one(ClusterList).ids:
            pane.show(self._corpus, f"Whole corpus ({len(self._corpus)})", "The corpus is empty: monitor import PATH")
        else:
            pane.show(self._linked, f"Corpus linked to event {self.detail_for}",
                      "No corpus document is linked to this event (C: whole corpus)")

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        if message.query != self.filter.query:
            return  # a newer search is loading
        self._corpus = message.documents
        self._matches = message.matches
        self._show_corpus()

    def on_status_loaded(self, message: StatusLoaded) -> None:
        self._failing = message.failing
        status = self.query_one(StatusLine)
        status.watch_hits = message.watch_hits
        if self._watch_seen >= 0 and message.watch_hits > self._watch_seen:
            self.app.bell()  # new watch hits since the last look: once, whichever poll brought them
        self._watch_seen = message.watch_hits
        status.show(message.summary, self.app.now())
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
        """Enter the event: its articles take focus, the cursor on the newest unread one."""
        from monitor.store.triage import mark_seen

        row = self.query_one(ClusterList).selected_row
        if row is not None and row.id == cluster_id and (self._visit is None or self._visit[0] != cluster_id):
            self._visit = (cluster_id, row.seen_size)
        self.app.write(lambda db: mark_seen(db, cluster_id), written=DataWritten("cluster_row", cluster_id))
        members = self.query_one(MemberList)
        if self._members_for == cluster_id:
            members.go_to_newest_unread()
        else:
            self._entering = cluster_id
        members.focus()

    @on(MemberList.Selected)
    def _member_selected(self, event: MemberList.Selected) -> None:
        self._open_article(event.member.article_id)

    @on(MemberList.Highlighted)
    def _member_highlighted(self, event: MemberList.Highlighted) -> None:
        member = self.query_one(MemberList).selected
        why = self.query_one("#member-why", Static)
        why.update(why_text(member, self.query_one(MemberList).hint) if member else "", layout=False)

    @on(OptionList.OptionSelected, "#corpus-options")
    def _corpus_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._open_article(int(event.option.id))

    def _open_article(self, article_id: int) -> None:
        from monitor.tui.screens.reader import ReaderScreen

        focused = self._opened_from = self.focused
        if not self.app.is_screen_installed("reader"):
            self.app.install_screen(ReaderScreen(), "reader")
        reader = self.app.get_screen("reader")
        assert isinstance(reader, ReaderScreen)
        if isinstance(focused, MemberList):
            sequence = [m.article_id for m in focused.members]
        elif isinstance(focused, CorpusOptions):
            sequence = [row.article_id for row in focused.rows]
        else:
            sequence = []
        reader.open(article_id, sequence)
        self.app.push_screen(reader)

    def action_back(self) -> None:
        if not isinstance(self.focused, ClusterList) and self.query_one(ClusterList).ids:
            self.query_one(ClusterList).focus()
        elif self.merge_source is not None:
            self.mark_merge(None)
            self.app.notify("Merge cancelled", timeout=2)
        elif self.marked_events or self.marked_articles:
            self.action_clear_marks()
        elif self.filter.query:
            self.set_filter(query=None)

    def back_one_level(self) -> bool:
        """q: from the Articles or Corpus pane back to the Events pane (True); at the events, False:
        q quits there. With no event yet the corpus is the top."""
        clusters = self.query_one(ClusterList)
        if isinstance(self.focused, ClusterList) or not clusters.ids or not clusters.display:
            return False
        clusters.focus()
        return True

    def _panes(self) -> list[Widget]:
        panes: list[Widget] = [self.query_one(ClusterList), self.query_one(MemberList), self.query_one(CorpusOptions)]
        return [p for p in panes if p.display]

    def action_switch_pane(self, step: int = 1) -> None:
        panes = self._panes()
        index = next((i for i, p in enumerate(panes) if p is self.focused), 0)
        panes[(index + step) % len(panes)].focus()

    def action_switch_pane_back(self) -> None:
        self.action_switch_pane(-1)

    def action_toggle_corpus(self) -> None:
        self.whole_corpus = not self.whole_corpus
        self._show_corpus()
        if self.whole_corpus:
            self.load_corpus()

    def action_brief(self) -> None:
        from monitor.tui.screens.brief import EventBriefScreen

        cluster_id = self.query_one(ClusterList).selected_id
        if cluster_id is not None:
            self.app.push_screen(EventBriefScreen(cluster_id, self._seen_at_visit(cluster_id)))

    def action_feeds(self) -> None:
        from monitor.tui.screens.feeds import FeedsScreen

        def chosen(feed: str | None) -> None:
            if feed:
                self.start_poll(force=True, feeds=(feed,))

        self.app.push_screen(FeedsScreen(), chosen)
