"""What the Events pane shows (a mixin of the main screen): search, filters, sort, time window,
saved views, watch hits and export. Search uses the one query syntax of the CLI and watch rules;
a query it cannot read is a one-line notice, and the view stays as it was."""
from __future__ import annotations

from textual import work

from monitor.config import parse_duration
from monitor.store import views
from monitor.store.saved_views import SavedView, get_saved_view, list_saved_views, save_view, view_filter
from monitor.store.watch import mark_watch_hits_seen, watched_cluster_ids
from monitor.text.search_query import QuerySyntaxError, parse_query
from monitor.tui.screens.marks import Marks
from monitor.tui.screens.prompt import PromptScreen
from monitor.tui.screens.saved_views import SavedViewsScreen
from monitor.tui.widgets.status_line import StatusLine

TIME_WINDOWS = (None, "24h", "7d", "30d")


class ViewActions(Marks):
    filter: views.ClusterFilter = views.ClusterFilter()
    window: str | None = None  # the time window as the analyst chose it ("24h"), for the status line

    def set_filter(self, **changes) -> None:
        self.filter = self.filter.with_(**changes)
        self.query_one(StatusLine).show_view(self.filter, self.window)
        self.view_changed()

    def view_changed(self) -> None:
        """The filter changed: the main screen loads the view (and the corpus pane) for it."""
        raise NotImplementedError

    def action_cycle_sort(self) -> None:
        sorts = views.SORTS
        self.set_filter(sort=sorts[(sorts.index(self.filter.sort) + 1) % len(sorts)])

    def action_cycle_state(self) -> None:
        states = views.STATES
        self.set_filter(state=states[(states.index(self.filter.state) + 1) % len(states)])

    def _set_window(self, window: str | None) -> None:
        self.window = window
        self.set_filter(since=views.since_iso(window, self.app.now()) if window else None)

    def action_cycle_time(self) -> None:
        index = TIME_WINDOWS.index(self.window) if self.window in TIME_WINDOWS else 0
        self._set_window(TIME_WINDOWS[(index + 1) % len(TIME_WINDOWS)])

    def action_clear_filters(self) -> None:
        self.window = None
        self.set_filter(state="active", tag=None, feed=None, feed_tag=None, since=None, query=None, cluster_ids=None)

    def action_search(self) -> None:
        def chosen(value: str | None) -> None:
            if value is None:
                return
            self._set_query(value.strip() or None, "Search not changed")

        self.app.push_screen(PromptScreen("Search (words are stemmed; OR, -word / NOT word, \"a phrase\", "
                                          "title:word, prefix*, where:place, who:name)", value=self.filter.query or ""),
                             chosen)

    def _set_query(self, query: str | None, refused: str) -> None:
        """The view's new search, or, when it does not parse, a warning and the view unchanged."""
        if query is not None:
            try:
                parse_query(query)
            except QuerySyntaxError as exc:
                self.app.notify(f"{refused}: {exc}", severity="warning", timeout=5, markup=False)
                return
        self.set_filter(query=query)

    def identity_suggestions(self) -> list[str]:
        """`where:Kharkiv`, `who:Syniehubov`: the selected event's top places and names."""
        return []

    def action_filter_place(self) -> None:
        """Narrow the view to events naming a place or a name: the selected event's are offered;
        it joins the search as where:/who: (a bare word is a place)."""
        def chosen(value: str | None) -> None:
            value = (value or "").strip()
            if not value:
                return
            if not value.lower().startswith(("where:", "who:")):
                value = f'where:"{value}"' if " " in value else f"where:{value}"
            self._set_query(f"{self.filter.query} {value}" if self.filter.query else value, "Filter not changed")

        self.app.push_screen(PromptScreen("Show events naming a place or a name (where:PLACE, who:NAME; "
                                          "any spelling of a place)", suggestions=self.identity_suggestions()),
                             chosen)

    def action_filter_tag(self) -> None:
        tags = views.all_tags(self.app.dbs.ui)

        def chosen(value: str | None) -> None:
            if value is not None:
                self.set_filter(tag=_known(value, tags))

        self.app.push_screen(PromptScreen("Show events with tag (empty: any)", suggestions=tags), chosen)

    def action_filter_feed(self) -> None:
        names = views.feed_names(self.app.dbs.ui)

        def chosen(value: str | None) -> None:
            if value is not None:
                self.set_filter(feed=_known(value, names))

        self.app.push_screen(PromptScreen("Show events with an article from feed (empty: any)", suggestions=names),
                             chosen)

    # -- watch hits and saved views ---------------------------------------------------------
    def action_watch_hits(self) -> None:
        """The events holding watch-rule hits; they count as seen from now on."""
        ids = tuple(sorted(watched_cluster_ids(self.app.dbs.ui)))
        self.window = None
        self.set_filter(state="all", tag=None, feed=None, feed_tag=None, since=None, query=None, cluster_ids=ids)
        self.app.write(mark_watch_hits_seen, toast=lambda _: f"Watch hits: {len(ids)} events")

    def action_save_view(self) -> None:
        flt, window = self.filter, self.window

        def chosen(name: str | None) -> None:
            if name and name.strip():
                view = SavedView(name=name.strip(), query=flt.query, state=flt.state, tag=flt.tag, feed=flt.feed,
                                 feed_tag=flt.feed_tag, since=window or flt.since)
                self.app.write(lambda db: save_view(db, view), toast=lambda _: f"Saved view: {view.name}")

        names = [v.name for v in list_saved_views(self.app.dbs.ui)]
        self.app.push_screen(PromptScreen("Save this search and filters as (a name; an existing name is replaced)",
                                          suggestions=names), chosen)

    def action_saved_views(self) -> None:
        def chosen(name: str | None) -> None:
            view = get_saved_view(self.app.dbs.ui, name) if name else None
            if view is not None:
                self.apply_saved_view(view)

        self.app.push_screen(SavedViewsScreen(list_saved_views(self.app.dbs.ui)), chosen)

    def apply_saved_view(self, view: SavedView) -> None:
        try:
            flt = view_filter(view, self.app.now())
        except ValueError as exc:  # a view saved by hand with a bad window or query
            self.app.notify(f"View {view.name} not shown: {exc}", severity="warning", timeout=5, markup=False)
            return
        self.window = view.since if view.since and _is_window(view.since) else None
        self.filter = flt.with_(sort=self.filter.sort)
        self.set_filter()
        self.app.notify(f"View: {view.name}", timeout=2, markup=False)

    # -- export ---------------------------------------------------------------------------------
    def action_export(self, fmt: str = "md") -> None:
        """The view, or while events are marked, the marked events (whatever the view shows)."""
        if self.marked_events:
            self.export_view(views.ClusterFilter(state="all", sort=self.filter.sort,
                                                 cluster_ids=tuple(self.marked_events)), fmt)
            return
        self.export_view(self.filter, fmt)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export_view(self, flt: views.ClusterFilter, fmt: str) -> None:
        from monitor.store.export import export_to_file

        path = export_to_file(self.app.dbs.thread_db(), flt, fmt, self.app.export_dir)
        self.app.call_from_thread(self.app.notify, f"Exported to {path}", timeout=5, markup=False)


def _known(value: str, known: list[str]) -> str | None:
    """The value typed into a filter prompt, as the known name it spells in another case: the prompt
    completes in any case, but 'guardian world' typed in full and entered showed an empty view
    (the filter compares names exactly). A name known as typed is kept; empty is None (any)."""
    value = value.strip()
    if not value or value in known:
        return value or None
    same = [name for name in known if name.casefold() == value.casefold()]
    return same[0] if len(same) == 1 else value


def _is_window(since: str) -> bool:
    """"24h" is a window back from now (shown as "last 24h"); an ISO date is shown as a date."""
    try:
        parse_duration(since)
    except ValueError:
        return False
    return True
