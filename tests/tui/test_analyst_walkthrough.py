"""Defects found by using the dashboard as the analyst does (the tenth session's walkthrough in a real
terminal), each pinned by the keys that showed it, read back from the screen and the database."""
from __future__ import annotations

from monitor.store import open_db, views
from monitor.tui.widgets.cluster_list import ClusterList
from monitor.tui.widgets.member_list import MemberList
from tests.tui.conftest import settle
from tests.tui.helpers import make_app, one, scrolls_with_the_list_keys


def biggest_event(db_path) -> int:
    db = open_db(db_path, migrate=False)
    try:
        return views.cluster_ids(db, views.ClusterFilter(sort="size"))[0]
    finally:
        db.close()


async def test_moving_an_article_out_leaves_the_cursor_on_the_next_article_not_the_first(built_db, offline_config):
    """Working down an event's articles (O moves one out, o rejects a proposal), the cursor jumped back
    to the first article after each one left: the analyst lost their place at every step."""
    event = biggest_event(built_db)
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S", "g", "enter")  # by size: the biggest event, entered
        await settle(pilot)
        assert app.screen.query_one(ClusterList).selected_id == event
        members = app.screen.query_one(MemberList)
        assert app.screen.focused is members and members.row_count >= 4
        await pilot.press("g", "j", "j")
        moved, following = members.members[2].article_id, members.members[3].article_id
        await pilot.press("O")
        await settle(pilot)
        assert one(built_db, "SELECT cluster_id FROM assignments WHERE article_id = ?", moved) != event
        assert moved not in [m.article_id for m in members.members]
        assert members.cursor_row == 2 and members.selected.article_id == following
        await pilot.press("G", "O")  # the last article out: the cursor on the new last one
        await settle(pilot)
        assert members.cursor_row == members.row_count - 1


def status_text(app) -> str:
    from monitor.tui.widgets.status_line import StatusLine

    return str(app.screen.query_one(StatusLine).render())


async def test_the_status_line_says_the_order_s_chose(built_db, offline_config):
    """S reordered the events with no word anywhere of the order now in force, and c (clear the filters)
    keeps it: after S S the analyst saw 2017 items above today's and no reason why."""
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert "sort" not in status_text(app)
        await pilot.press("S")
        await settle(pilot)
        assert "view sort: by size   (S sorts)" in status_text(app)
        await pilot.press("S", "f")
        await settle(pilot)
        assert "view state: new · sort: by velocity   (c clears, S sorts)" in status_text(app)
        await pilot.press("c")
        await settle(pilot)
        assert "view sort: by velocity" in status_text(app)
        await pilot.press("S")  # back to activity, the default order: the key hints again
        await settle(pilot)
        assert "sort" not in status_text(app) and "help" in status_text(app)


async def test_at_80_columns_the_articles_pane_fits_and_takes_the_room_while_focused(built_db, offline_config):
    """At 80x24 the Articles pane was 29 cells wide: its table was wider than the pane (a sideways
    scrollbar ate a row) and, inside an event, titles were cut to ten characters ("Update 10…")."""
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("S", "g")  # the biggest event: more articles than the pane has rows
        await settle(pilot)
        clusters, members = app.screen.query_one(ClusterList), app.screen.query_one(MemberList)
        assert members.row_count > members.rows_visible() and members.show_vertical_scrollbar
        assert members.virtual_size.width <= members.scrollable_content_region.width  # beside the Events pane
        assert not members.show_horizontal_scrollbar
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.focused is members
        # the titles take the room there is: no cells left blank at the right, none hidden
        assert members.virtual_size.width == members.scrollable_content_region.width
        assert members.size.width > clusters.size.width
        title_cells = dict(members._columns())["title"]
        assert title_cells >= 24  # was 10
        await pilot.press("escape")  # back in the Events pane: it has the room again
        await settle(pilot)
        assert clusters.size.width > members.size.width


async def test_at_80_columns_the_status_line_keeps_the_watch_hits_and_the_help_key(built_db, offline_config):
    """The counts line was cut at the terminal's width, and the unseen watch hits came last: at 80
    columns they were never shown. The key hints were cut too, '? help' and the palette first."""
    from monitor.tui.widgets.status_line import StatusLine

    app = make_app(built_db, offline_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = app.screen.query_one(StatusLine)
        status.watch_hits = 3
        status.show(None, None)
        await pilot.pause()
        counts, hints = status_text(app).split("\n")
        assert "watch hits 3 (W)" in counts and "failing 0/" in counts and "last poll" in counts
        assert "?  help" in hints and "q  quit" in hints and "^p  palette" in hints and "⏎  open" in hints
        assert max(len(counts), len(hints)) <= 80 - 2  # the line's padding
        assert "…" not in counts + hints  # parts left out whole, not cut
    wide = make_app(built_db, offline_config)
    async with wide.run_test(size=(200, 24)) as pilot:  # room for everything: all of it, as before
        await settle(pilot)
        counts, hints = status_text(wide).split("\n")
        assert all(part in counts for part in ("next in", "today", "events", "corpus"))
        assert "u  undo   /  search   ?  help" in hints


def test_a_poll_of_one_feed_says_feed_not_feeds():
    """A new feed polled alone by the timer showed 'polling 1 feeds…' for as long as its poll ran."""
    from monitor.tui.screens.polling import _describe

    assert _describe({"kind": "start", "total": 1}) == "polling 1 feed…"
    assert _describe({"kind": "start", "total": 12}) == "polling 12 feeds…"


def test_the_why_line_says_duplicate_once():
    """'why: duplicate of article 197 · duplicate of article 197 (text ratio 0.91) · 0.80': the line
    under the Articles pane added its own words to the clusterer's reason, which said the same."""
    from dataclasses import replace

    from monitor.store.views import MemberRow
    from monitor.tui.widgets.member_list import why_text

    copy = MemberRow(article_id=198, title="Update 104: strike on Kharkiv", origin="feed", source="wire", url=None,
                     published_at="2026-11-21T14:00:00Z", status="new", starred=False, dup_of=197, score=0.8,
                     reason="duplicate of article 197 (text ratio 0.91)", terms=(), method="auto")
    line = why_text(copy, "").plain
    assert line.count("duplicate of article 197") == 1 and "text ratio 0.91" in line
    moved = replace(copy, reason="moved by analyst", method="analyst")  # a reason that does not say it
    assert why_text(moved, "").plain.startswith("why: duplicate of article 197 · moved by analyst")


async def test_o_on_an_article_not_proposed_says_what_o_and_b_do(built_db, offline_config):
    """A newsboat hand presses o to open the article: the dashboard's o rejects a proposal, and on any
    other article it said only 'article 203 is not proposed to an event', an id shown nowhere."""
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        member = app.screen.query_one(MemberList).selected
        assert not member.proposed
        before = one(built_db, "SELECT cluster_id FROM assignments WHERE article_id = ?", member.article_id)
        for key in ("o", "a"):
            await pilot.press(key)
            await settle(pilot)
            notice = [n.message for n in app._notifications][-1]
            assert notice.startswith(f"Not proposed to a locked event: article: {member.title[:20]}")
            assert notice.endswith("a and o accept or reject an article proposed to a locked event; "
                                   "b opens the article in the browser")
            assert str(member.article_id) not in notice.split(":")[0]
        assert one(built_db, "SELECT cluster_id FROM assignments WHERE article_id = ?", member.article_id) == before


async def test_feed_health_and_the_brief_scroll_with_the_list_keys(built_db, offline_config):
    """In feed health (H) j, k, ctrl+d, g and G did nothing (only the arrows and pgup/pgdn moved it);
    the brief (i) took j and k but not ctrl+d, ctrl+u, g or G. Help had been given them before."""
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(80, 18)) as pilot:  # short: every view scrolls well past a page
        await pilot.press("S", "g")  # the biggest event: a brief longer than the screen
        await settle(pilot)
        for key, view_id in (("H", "#feeds"), ("i", "#event-brief")):
            await pilot.press(key)
            await settle(pilot)
            view = app.screen.query_one(view_id)
            assert view.max_scroll_y > 5
            await scrolls_with_the_list_keys(pilot, view)
            await pilot.press("ctrl+u")
            await pilot.pause(0.3)
            assert view.scroll_y == 0
            await pilot.press("escape")
            await settle(pilot)


async def test_j_and_k_in_the_reader_read_the_next_and_previous_article(built_db, offline_config):
    """Reading an event took esc, j, enter for every article: the reader had no key for the next one.
    J and K go through the list it was opened from; back there, the cursor is on the article read last."""
    from monitor.tui.screens.reader import ReaderScreen

    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("S", "g", "enter")
        await settle(pilot)
        members = app.screen.query_one(MemberList)
        ids = [m.article_id for m in members.members]
        assert len(ids) >= 3
        await pilot.press("g", "enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.article_id == ids[0]
        await pilot.press("J")
        await settle(pilot)
        assert reader.article_id == ids[1] and reader.detail is not None and reader.detail.id == ids[1]
        assert one(built_db, "SELECT status FROM articles WHERE id = ?", ids[1]) == "read"
        await pilot.press("K")
        await settle(pilot)
        assert reader.article_id == ids[0]
        await pilot.press("K")  # the first already: it stays, and says so
        await settle(pilot)
        assert reader.article_id == ids[0] and "No previous article" in [n.message for n in app._notifications][-1]
        await pilot.press("J", "J")
        await settle(pilot)
        assert reader.article_id == ids[2]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.focused is members and members.selected.article_id == ids[2]


async def test_the_tag_filter_finds_the_events_of_tagged_articles(built_db, offline_config):
    """T listed the articles' tags as known (a tag given in the reader, a watch rule's tag) but matched
    only tags given to events: 'T kharkiv' after tagging articles 'kharkiv' showed no event."""
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        await pilot.press("j", "j")
        event = clusters.selected_id
        await pilot.press("tab", "t", *"kharkiv", "enter")  # the article's tag, not the event's
        await settle(pilot)
        assert one(built_db, "SELECT count(*) FROM cluster_tags") == 0
        await pilot.press("T", *"kharkiv", "enter")
        await settle(pilot)
        assert clusters.ids == [event]


def test_the_narrow_event_list_heads_its_columns_in_full():
    """Under 56 cells (the Events pane at 80 columns) the headings read 'siz sr'."""
    from monitor.tui.widgets.cluster_list import header_text

    for width in (40, 49, 55):
        assert header_text(width).plain.split()[:4] == ["size", "src", "last", "event"]


async def test_an_event_marked_to_merge_is_named_in_the_status_line_until_merged_or_cancelled(built_db,
                                                                                              offline_config):
    """A first m marked an event with a 4 s toast and nothing else: a mark forgotten merged that event
    into whichever event next got an m, meant as a first."""
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        label = clusters.selected_row.label
        await pilot.press("m")
        await settle(pilot)
        counts = status_text(app).split("\n")[0]
        assert counts.startswith(f"to merge (m on another event, esc cancels): {label[:20]}")
        await pilot.press("escape")  # cancelled: the line says so no more
        await settle(pilot)
        assert "to merge" not in status_text(app)
        await pilot.press("m", "j", "m")  # marked, then merged into the next event
        await settle(pilot)
        assert "to merge" not in status_text(app) and app.screen.merge_source is None


async def test_at_80_columns_the_merge_mark_outranks_the_counts(built_db, offline_config):
    from monitor.tui.widgets.status_line import StatusLine

    app = make_app(built_db, offline_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = app.screen.query_one(StatusLine)
        status.watch_hits = 2
        await pilot.press("m")
        await settle(pilot)
        counts = status_text(app).split("\n")[0]
        assert counts.startswith("to merge (m on another event, esc cancels): ")


async def test_a_feed_or_tag_typed_in_another_case_filters_by_the_name_it_spells(built_db, offline_config):
    """F and T complete in any case, but a name typed in full in lower case and entered ('guardian
    world') showed 'No event matches this view': the filter compares names exactly."""
    db = open_db(built_db, migrate=False)
    try:
        guardian = views.cluster_ids(db, views.ClusterFilter(feed="Guardian World"))
    finally:
        db.close()
    assert guardian
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        await pilot.press("F", *"guardian world", "enter")
        await settle(pilot)
        assert app.screen.filter.feed == "Guardian World" and clusters.ids == guardian
        await pilot.press("c", "t", *"Kharkiv", "enter")  # the event's tag, spelled with a capital
        await settle(pilot)
        event = clusters.selected_id
        await pilot.press("T", *"KHARKIV", "enter")
        await settle(pilot)
        assert app.screen.filter.tag == "Kharkiv" and clusters.ids == [event]


async def test_the_first_run_help_says_a_poll_runs_instead_of_press_p(newsroom, db_path):
    """During the first poll the first-run help said 'Poll the feeds now: press p' beside a status line
    saying 'polling…', and 'Feed articles: 197' beside 'No events yet' once the poll had stored them."""
    from monitor.config import Config, FeedConfig, PollConfig
    from monitor.tui.widgets.empty_state import EmptyState
    from tests.tui.conftest import CLUSTER

    slow = FeedConfig(name="Slow wire", url=newsroom.url("/fault/slow?seconds=3"))
    config = Config(feeds=(slow,), poll=PollConfig(fetch_pages=False, connect_timeout=2.0, read_timeout=10.0),
                    cluster=CLUSTER)
    app = make_app(db_path, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        empty = app.screen.query_one(EmptyState)
        assert "press p" in str(empty.render())
        await pilot.press("p")
        await pilot.pause(0.5)  # the feed answers after 3 s: the poll is running
        shown = str(empty.render())
        assert "A poll is running" in shown and "press p" not in shown
