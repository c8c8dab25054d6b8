"""Triage, filter and export actions of the main screen (a mixin, to keep main.py about layout).

The target of a triage key is what has focus: the member or corpus row (an article), otherwise
the selected cluster. Writes go through the app's ordered writer and commit at once.
"""
from __future__ import annotations

import threading
import webbrowser

from textual import work

from monitor.ingest.urls import is_fetchable
from monitor.store import triage, views
from monitor.tui.screens.base import MainScreenHost
from monitor.tui.screens.prompt import PromptScreen
from monitor.tui.widgets.cluster_list import ClusterList
from monitor.tui.widgets.corpus_pane import CorpusOptions
from monitor.tui.widgets.member_list import MemberList
from monitor.tui.widgets.status_line import StatusLine

TIME_WINDOWS = (None, "24h", "7d", "30d")


class TriageActions(MainScreenHost):
    # -- targets ------------------------------------------------------------------------------
    def _target(self) -> tuple[str, int] | None:
        focused = self.focused
        if isinstance(focused, MemberList):
            return ("article", focused.selected.article_id) if focused.selected else None
        if isinstance(focused, CorpusOptions):
            return ("article", focused.selected_article) if focused.selected_article else None
        cluster_id = self.query_one(ClusterList).selected_id
        return ("cluster", cluster_id) if cluster_id is not None else None

    def _selected_article(self) -> int | None:
        target = self._target()
        if target and target[0] == "article":
            return target[1]
        members = self.query_one(MemberList)
        return members.selected.article_id if members.selected else None

    def _on_target(self, fn) -> None:
        target = self._target()
        if target is None:
            self.notify("nothing selected", severity="warning", timeout=2)
            return
        kind, target_id = target
        self.app.write(lambda db: fn(db, kind, target_id))

    # -- triage -------------------------------------------------------------------------------
    def action_toggle_read(self) -> None:
        self._on_target(triage.toggle_read)

    def action_toggle_star(self) -> None:
        self._on_target(triage.toggle_star)

    def action_toggle_dismiss(self) -> None:
        self._on_target(triage.toggle_dismiss)

    def action_undo(self) -> None:
        self.app.write(triage.undo_last)

    def action_tag(self) -> None:
        target = self._target()
        if target is None:
            return
        kind, target_id = target
        tags = views.all_tags(self.app.dbs.ui)

        def chosen(value: str | None) -> None:
            if value and value.strip():
                self.app.write(lambda db: triage.add_tag(db, kind, target_id, value))

        self.app.push_screen(PromptScreen(f"Tag {kind} {target_id} (tab completes)", suggestions=tags), chosen)

    def action_untag(self) -> None:
        target = self._target()
        if target is None:
            return
        kind, target_id = target

        def chosen(value: str | None) -> None:
            if value and value.strip():
                self.app.write(lambda db: triage.remove_tag(db, kind, target_id, value.strip()))

        self.app.push_screen(PromptScreen(f"Remove a tag from {kind} {target_id}",
                                          suggestions=views.all_tags(self.app.dbs.ui)), chosen)

    def action_note(self) -> None:
        target = self._target()
        if target is None:
            return
        kind, target_id = target

        def chosen(value: str | None) -> None:
            if value and value.strip():
                self.app.write(lambda db: triage.add_note(db, kind, target_id, value))

        self.app.push_screen(PromptScreen(f"Note on {kind} {target_id}"), chosen)

    def action_merge(self) -> None:
        cluster_id = self.query_one(ClusterList).selected_id
        if cluster_id is None:
            return
        if self.merge_source is None or self.merge_source == cluster_id:
            self.merge_source = cluster_id
            self.notify(f"cluster {cluster_id} marked: select the cluster to merge it into, press m again "
                        "(esc cancels)", timeout=4)
            return
        source, self.merge_source = self.merge_source, None
        self.app.write(lambda db: triage.merge(db, cluster_id, source))

    def action_move_out(self) -> None:
        article_id = self._selected_article()
        if article_id is not None:
            self.app.write(lambda db: triage.move_out(db, article_id))

    def action_accept_proposal(self) -> None:
        article_id = self._selected_article()
        if article_id is not None:
            self.app.write(lambda db: triage.decide_proposal(db, article_id, True))

    def action_reject_proposal(self) -> None:
        article_id = self._selected_article()
        if article_id is not None:
            self.app.write(lambda db: triage.decide_proposal(db, article_id, False))

    def action_toggle_lock(self) -> None:
        cluster_id = self.query_one(ClusterList).selected_id
        if cluster_id is not None:
            self.app.write(lambda db: triage.toggle_lock(db, cluster_id))

    # -- filters and sort ---------------------------------------------------------------------
    def set_filter(self, **changes) -> None:
        self.filter = self.filter.with_(**changes)
        status = self.query_one(StatusLine)
        status.view_note = self.filter.describe()
        status.show(None, self.app.now())
        self.load_view(self.filter, self.query_one(ClusterList).position())

    def action_cycle_sort(self) -> None:
        sorts = views.SORTS
        self.set_filter(sort=sorts[(sorts.index(self.filter.sort) + 1) % len(sorts)])

    def action_cycle_state(self) -> None:
        states = views.STATES
        self.set_filter(state=states[(states.index(self.filter.state) + 1) % len(states)])

    def action_cycle_time(self) -> None:
        current = getattr(self, "_window", None)
        window = TIME_WINDOWS[(TIME_WINDOWS.index(current) + 1) % len(TIME_WINDOWS)]
        self._window = window
        self.set_filter(since=views.since_iso(window, self.app.now()) if window else None)

    def action_clear_filters(self) -> None:
        self._window = None
        self.set_filter(state="active", tag=None, feed=None, since=None, query=None, cluster_ids=None)

    def action_search(self) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self.set_filter(query=value.strip() or None)

        self.app.push_screen(PromptScreen("Search articles (full text)", value=self.filter.query or ""), chosen)

    def action_filter_tag(self) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self.set_filter(tag=value.strip() or None)

        self.app.push_screen(PromptScreen("Show clusters with tag (empty: any)",
                                          suggestions=views.all_tags(self.app.dbs.ui)), chosen)

    def action_filter_feed(self) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self.set_filter(feed=value.strip() or None)

        self.app.push_screen(PromptScreen("Show clusters with an article from feed (empty: any)",
                                          suggestions=views.feed_names(self.app.dbs.ui)), chosen)

    # -- outside the app ----------------------------------------------------------------------
    def action_open_browser(self) -> None:
        article_id = self._selected_article()
        if article_id is None:
            return
        url = views.article_detail(self.app.dbs.ui, article_id)
        if url is None or not url.url:
            self.notify("this article has no URL", severity="warning", timeout=2)
            return
        if not is_fetchable(url.url):  # file:, javascript:, data: ... never reach a browser
            self.notify("not an http(s) link: not opened", severity="warning", timeout=2)
            return
        threading.Thread(target=webbrowser.open, args=(url.url,), daemon=True).start()
        self.notify("opened in the browser", timeout=2)

    def action_export(self, fmt: str = "md") -> None:
        self.export_view(self.filter, fmt)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export_view(self, flt: views.ClusterFilter, fmt: str) -> None:
        from monitor.store.export import export_to_file

        path = export_to_file(self.app.dbs.thread_db(), flt, fmt, self.app.export_dir)
        self.app.call_from_thread(self.notify, f"exported to {path}", timeout=5)
