"""The analyst's daily loop in the dashboard (#13): targets, bulk triage and reading order, notes and
tags, the corpus from the start, polling, watch hits, saved views and search. Every action is driven
through Pilot and its effect read back from the database."""
from __future__ import annotations

import asyncio
import webbrowser

from monitor.config import Config, FeedConfig, PollConfig, WatchConfig
from monitor.store import open_db, views
from monitor.tui.screens.feeds import FeedsScreen
from monitor.tui.screens.prompt import PromptScreen
from monitor.tui.screens.reader import ReaderScreen
from monitor.tui.screens.saved_views import SavedViewsScreen
from monitor.tui.widgets.cluster_list import ClusterList, header_text
from monitor.tui.widgets.corpus_pane import CorpusOptions
from monitor.tui.widgets.member_list import MemberList
from monitor.tui.widgets.status_line import StatusLine
from tests.conftest import shared_path
from tests.support.newsroom import rss_feed
from tests.tui.conftest import CLUSTER, settle
from tests.tui.helpers import make_app, one, query


def view_ids(db_path, **filters) -> list[int]:
    db = open_db(db_path, migrate=False)
    try:
        return views.cluster_ids(db, views.ClusterFilter(**filters))
    finally:
        db.close()


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


def status_text(app) -> str:
    return str(app.screen.query_one(StatusLine).render())


async def test_panes_are_titled_and_the_focused_one_is_framed_heavily(built_db, offline_config):
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        clusters, members = app.screen.query_one(ClusterList), app.screen.query_one(MemberList)
        corpus = app.screen.query_one("#corpus")
        assert (str(clusters.border_title), str(members.border_title)) == ("Events", "Articles")
        assert str(corpus.border_title).startswith("Corpus")
        assert clusters.styles.border_top[0] == "heavy" and members.styles.border_top[0] == "round"
        await pilot.press("tab")
        assert members.styles.border_top[0] == "heavy" and clusters.styles.border_top[0] == "round"
        await pilot.press("tab")
        assert corpus.styles.border_top[0] == "heavy" and members.styles.border_top[0] == "round"


async def test_every_toast_names_its_target(built_db, offline_config):
    ids = view_ids(built_db)
    label = one(built_db, "SELECT label FROM clusters WHERE id = ?", ids[0])
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert toasts(app)[-1] == f"Starred event: {label[:59] + '…' if len(label) > 60 else label}"
        assert one(built_db, "SELECT starred FROM clusters WHERE id = ?", ids[0]) == 1
        await pilot.press("tab")  # the Articles pane: now the key acts on the article
        member = app.screen.query_one(MemberList).selected
        await pilot.press("s")
        await settle(pilot)
        assert toasts(app)[-1].startswith("Starred article: " + member.title[:20])
        assert one(built_db, "SELECT starred FROM articles WHERE id = ?", member.article_id) == 1
        await pilot.press("t", *"kharkiv", "enter")
        await settle(pilot)
        assert toasts(app)[-1].startswith("Tagged article: ") and toasts(app)[-1].endswith("(kharkiv)")


async def test_entering_an_event_puts_the_cursor_on_its_newest_unread_article(built_db, offline_config):
    # the biggest event: mark its newest article read, so the newest unread one is the second
    event = view_ids(built_db, sort="size")[0]
    members = [r[0] for r in query(built_db, "SELECT a.id FROM assignments s JOIN articles a ON a.id = s.article_id "
                                             "WHERE s.cluster_id = ? ORDER BY a.published_at DESC, a.id DESC", event)]
    assert len(members) >= 2
    db = open_db(built_db)
    db.conn.execute("UPDATE articles SET status = 'read' WHERE id = ?", [members[0]])
    db.conn.commit()
    db.close()
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S", "g")  # by size: the biggest event first
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        assert clusters.selected_id == event
        await pilot.press("enter")
        await settle(pilot)
        member_list = app.screen.query_one(MemberList)
        assert app.screen.focused is member_list
        assert member_list.selected.article_id == members[1]


async def test_the_reader_returns_to_the_pane_it_was_opened_from(built_db, offline_config):
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C", "tab", "tab")  # the whole corpus, focused
        await settle(pilot)
        corpus = app.screen.query_one(CorpusOptions)
        assert app.screen.focused is corpus
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.screen.article_id == corpus.selected_article
        assert one(built_db, "SELECT origin FROM articles WHERE id = ?", app.screen.article_id) == "corpus"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.focused is corpus


async def test_next_and_previous_unread_event(built_db, offline_config):
    ids = view_ids(built_db)
    db = open_db(built_db)
    # everything read and seen except the fourth and the seventh event
    db.conn.execute("UPDATE clusters SET status = 'read', seen_size = size")
    db.conn.execute("UPDATE clusters SET status = 'new' WHERE id IN (?, ?)", [ids[3], ids[6]])
    db.conn.commit()
    db.close()
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        await pilot.press("J")
        assert clusters.selected_id == ids[3]
        await pilot.press("J")
        assert clusters.selected_id == ids[6]
        await pilot.press("J")  # none below: the cursor stays, a notice says so
        assert clusters.selected_id == ids[6] and "No unread event below" in toasts(app)[-1]
        await pilot.press("K")
        assert clusters.selected_id == ids[3]
        await pilot.press("r", "G", "K")  # the fourth read now: from the bottom, the seventh is the one
        await settle(pilot)
        assert clusters.selected_id == ids[6]


async def test_mark_the_view_read_and_undo_it_as_one_step(built_db, offline_config):
    new = view_ids(built_db, state="new")
    assert len(new) > 5
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")  # state: new
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert one(built_db, "SELECT count(*) FROM clusters WHERE id IN (SELECT value FROM json_each(?)) "
                             "AND status = 'read' AND seen_size = size", str(new)) == len(new)
        assert toasts(app)[-1] == f"Marked read: {len(new)} events"
        assert app.screen.query_one(ClusterList).ids == []  # the 'new' view is empty now
        assert one(built_db, "SELECT count(*) FROM triage_log WHERE action = 'bulk'") == 1
        await pilot.press("u")
        await settle(pilot)
        assert view_ids(built_db, state="new") == new
        assert app.screen.query_one(ClusterList).ids == new


async def test_dismiss_the_view_and_read_everything_older_than_the_cursor(built_db, offline_config):
    ids = view_ids(built_db)
    tagged = ids[:3]
    db = open_db(built_db)
    db.conn.execute("INSERT INTO tags (name) VALUES ('noise')")
    db.conn.executemany("INSERT INTO cluster_tags (cluster_id, tag_id) SELECT ?, id FROM tags WHERE name = 'noise'",
                        [(i,) for i in tagged])
    db.conn.commit()
    db.close()
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("T", *"noise", "enter")
        await settle(pilot)
        assert sorted(app.screen.query_one(ClusterList).ids) == sorted(tagged)
        await pilot.press("D")
        await settle(pilot)
        assert [r[0] for r in query(built_db, "SELECT status FROM clusters WHERE id IN (?, ?, ?)", *tagged)] == \
            ["dismissed"] * 3
        assert one(built_db, "SELECT count(*) FROM clusters WHERE status = 'dismissed'") == 3
        await pilot.press("c")
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        rest = view_ids(built_db)
        assert clusters.ids == rest
        clusters.move_cursor(4)
        cursor_seen = one(built_db, "SELECT coalesce(last_seen, updated_at) FROM clusters WHERE id = ?", rest[4])
        await pilot.press("R")
        await settle(pilot)
        read = {r[0] for r in query(built_db, "SELECT id FROM clusters WHERE status = 'read'")}
        older = {r[0] for r in query(built_db, "SELECT id FROM clusters WHERE kind = 'event' AND status != 'dismissed' "
                                               "AND merged_into IS NULL AND size > 0 "
                                               "AND coalesce(last_seen, updated_at) < ?", cursor_seen)}
        assert read == older and rest[0] not in read and rest[4] not in read and older
        await pilot.press("u", "u")
        await settle(pilot)
        assert one(built_db, "SELECT count(*) FROM clusters WHERE status != 'new'") == 0


async def test_a_note_is_shown_edited_with_n_and_deleted(built_db, offline_config):
    ids = view_ids(built_db)
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        info = app.screen.query_one("#event-info")
        await pilot.press("n", *"check the source", "enter")
        await settle(pilot)
        assert query(built_db, "SELECT cluster_id, body FROM notes") == [(ids[0], "check the source")]
        assert "check the source" in str(info.render())
        await pilot.press("n")  # the prompt holds the note; what is typed replaces it
        prompt = app.screen
        assert isinstance(prompt, PromptScreen) and prompt.query_one("#prompt-input").value == "check the source"
        await pilot.press(*" twice", "enter")
        await settle(pilot)
        assert query(built_db, "SELECT cluster_id, body FROM notes") == [(ids[0], "check the source twice")]
        assert "check the source twice" in str(info.render())
        await pilot.press("u")
        await settle(pilot)
        assert query(built_db, "SELECT body FROM notes") == [("check the source",)]
        await pilot.press("n", "ctrl+u", "enter")  # emptied: the note is deleted
        await settle(pilot)
        assert query(built_db, "SELECT body FROM notes") == []
        assert "none (n adds one)" in str(info.render())
        await pilot.press("u")
        await settle(pilot)
        assert query(built_db, "SELECT cluster_id, body FROM notes") == [(ids[0], "check the source")]
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert query(built_db, "SELECT body FROM notes") == []
        assert toasts(app)[-1].startswith("Deleted the note on event: ")


async def test_tab_accepts_a_completion_and_a_tag_can_be_deleted_everywhere(built_db, offline_config):
    ids = view_ids(built_db)
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t", *"kharkiv-strikes", "enter")
        await settle(pilot)
        await pilot.press("j", "t", "k", "h", "tab", "enter")  # 'kh' + tab: the known tag, not 'kh'
        await settle(pilot)
        assert [r[0] for r in query(built_db, "SELECT name FROM tags")] == ["kharkiv-strikes"]
        tagged = [r[0] for r in query(built_db, "SELECT cluster_id FROM cluster_tags ORDER BY cluster_id")]
        assert tagged == sorted(ids[:2])
        assert "kharkiv-strikes" in str(app.screen.query_one("#event-info").render())  # at 80 columns
        await pilot.press("X", "k", "tab", "enter")
        await settle(pilot)
        assert query(built_db, "SELECT count(*) FROM tags") == [(0,)]
        assert query(built_db, "SELECT count(*) FROM cluster_tags") == [(0,)]
        await pilot.press("u")
        await settle(pilot)
        assert [r[0] for r in query(built_db, "SELECT cluster_id FROM cluster_tags ORDER BY cluster_id")] == tagged


async def test_the_corpus_is_listed_and_searchable_before_any_event(db_path, offline_config):
    from monitor.corpus.importer import import_paths

    db = open_db(db_path)
    import_paths(db, [shared_path("corpus")])
    db.close()
    kursk = {r[0] for r in query(db_path, "SELECT id FROM articles WHERE origin = 'corpus' AND title LIKE '%Kursk%'")}
    assert len(kursk) == 2
    app = make_app(db_path, offline_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        corpus = app.screen.query_one(CorpusOptions)
        assert corpus.display and len(corpus.rows) == 5 and app.screen.focused is corpus
        assert app.screen.query_one("#empty").display  # the first-run help, beside the corpus
        assert "No events yet" in str(app.screen.query_one("#empty").render())
        await pilot.press("slash", *"kursk", "enter")
        await settle(pilot)
        assert kursk <= {r.article_id for r in corpus.rows}
        assert str(app.screen.query_one("#corpus").border_title).startswith("Corpus matching the search")
        await pilot.press("enter")
        await settle(pilot)
        opened = corpus.selected_article
        assert isinstance(app.screen, ReaderScreen) and app.screen.article_id == opened and opened in kursk


async def test_search_syntax_errors_are_one_line_and_the_status_line_keeps_the_whole_view(built_db, offline_config):
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        before = list(clusters.ids)
        for _ in range(5):  # an empty search, again and again: the header keeps the rows' columns
            await pilot.press("slash", "enter")
            await settle(pilot)
            assert clusters.render_line(0).text.rstrip() == header_text(clusters.content_width).plain.rstrip()
            assert clusters.render_line(0).cell_length == clusters.render_line(1).cell_length
        await pilot.press("slash", *'"unclosed', "enter")
        await settle(pilot)
        assert toasts(app)[-1].startswith("Search not changed: ") and "\n" not in toasts(app)[-1]
        assert clusters.ids == before and app.screen.filter.query is None
        query_text = "glide bomb OR kharkiv -kursk"
        await pilot.press("slash", *query_text, "enter", "f", "w", "F", *"Guardian World", "enter")
        await settle(pilot)
        assert clusters.ids == view_ids(built_db, query=query_text, state="new", feed="Guardian World",
                                        since="2026-11-20T15:00:00Z")
        shown = status_text(app)
        for part in (f"search: {query_text}", "state: new", "feed: Guardian World", "since: last 24h"):
            assert part in shown.replace("\n", " ").replace("  ", " ")
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"glide bomb OR kharkiv -kursk", "enter", "f")
        await settle(pilot)
        assert "view search: glide bomb OR kharkiv -kursk · state: new" in status_text(app)


async def test_saved_views_are_saved_listed_and_applied(built_db, offline_config):
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"kharkiv", "enter", "f", "w")
        await settle(pilot)
        await pilot.press("V", *"kharkiv today", "enter")
        await settle(pilot)
        assert query(built_db, "SELECT name, query, state, since FROM saved_views") == \
            [("kharkiv today", "kharkiv", "new", "24h")]
        await pilot.press("c")
        await settle(pilot)
        assert app.screen.filter.query is None
        await pilot.press("v")
        assert isinstance(app.screen, SavedViewsScreen)
        await pilot.press("enter")
        await settle(pilot)
        flt = app.screen.filter
        assert (flt.query, flt.state, flt.since) == ("kharkiv", "new", "2026-11-20T15:00:00Z")
        assert app.screen.query_one(ClusterList).ids == view_ids(built_db, query="kharkiv", state="new",
                                                                  since="2026-11-20T15:00:00Z")
        await pilot.press("v", "d")
        await settle(pilot)
        assert query(built_db, "SELECT count(*) FROM saved_views") == [(0,)]


async def test_the_cursor_row_is_one_colour_and_old_dates_carry_their_year(built_db, offline_config):
    ids = view_ids(built_db)
    db = open_db(built_db)
    db.conn.execute("UPDATE clusters SET status = 'read', starred = 1, first_seen = '2021-01-12T10:00:00Z' "
                    "WHERE id = ?", [ids[0]])
    db.conn.commit()
    db.close()
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(160, 45)) as pilot:  # wide enough for the "first seen" column
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        assert clusters.selected_id == ids[0]
        line = clusters.render_line(1)  # under the header: the cursor row, a read, starred event
        colours = {(seg.style.bgcolor, seg.style.color) for seg in line if seg.text.strip()}
        assert len(colours) == 1, colours  # no cell keeps its own background or colour
        assert "★" in line.text and "2021-01" in line.text
        assert "event" in clusters.render_line(0).text  # the header is the list's own first line


async def test_b_says_so_when_no_browser_could_be_opened(built_db, offline_config, monkeypatch):
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setattr(webbrowser, "_tryorder", [])
    monkeypatch.setattr(webbrowser, "_browsers", {})
    monkeypatch.setattr(webbrowser, "register_standard_browsers", lambda: None)
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "b")
        for _ in range(50):
            if any("browser" in t for t in toasts(app)):
                break
            await pilot.pause(0.05)
        assert any(t.startswith("No browser could be opened") for t in toasts(app))
        assert not any("Opened in the browser" in t for t in toasts(app))


# -- polling and watch hits (a real poll of the local newsroom) ---------------------------------------
DESK = "/desk/feed.xml"
ITEMS = [("g1", "Glide bombs hit Kharkiv overnight", "Russian aircraft dropped guided glide bombs on Kharkiv."),
         ("p1", "Grain prices fall in Europe", "Wheat futures eased on the Paris market on Tuesday.")]
LATER = [("g2", "More glide bombs on Kharkiv", "A second night of glide bomb strikes hit Kharkiv districts.")]
CALM = "/calm/feed.xml"


def serve_desk(room, path: str, name: str, items) -> None:
    room.put(path, rss_feed(name, [
        {"title": title, "link": room.url(f"{path}/{guid}.html"), "guid": guid,
         "pubDate": "Sat, 21 Nov 2026 12:00:00 GMT", "description": text} for guid, title, text in items]))


async def until_polled(pilot) -> None:
    for _ in range(600):
        if not pilot.app.screen._polling:
            break
        await asyncio.sleep(0.05)
    assert not pilot.app.screen._polling
    await settle(pilot)


async def test_p_polls_every_feed_now_and_watch_hits_show_and_ring_once_per_poll(newsroom, db_path, monkeypatch):
    serve_desk(newsroom, DESK, "Desk", ITEMS)
    serve_desk(newsroom, CALM, "Calm", [("c1", "Harvest festival opens", "Stalls and music in the old town.")])
    config = Config(feeds=(FeedConfig(name="Desk", url=newsroom.url(DESK)), FeedConfig(name="Calm", url=newsroom.url(CALM))),
                    poll=PollConfig(fetch_pages=False, connect_timeout=2.0, read_timeout=5.0, interval=3600),
                    cluster=CLUSTER, watch=(WatchConfig(name="Glide", query="glide bomb", tag="glide"),))
    app = make_app(db_path, config)
    rings: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(1))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await until_polled(pilot)
        assert one(db_path, "SELECT count(*) FROM articles WHERE origin = 'feed'") == 3
        assert one(db_path, "SELECT count(*) FROM watch_hits WHERE seen = 0") == 1
        await pilot.pause(0.2)
        assert "watch hits 1 (W)" in status_text(app) and len(rings) == 1
        # both feeds polled an hour from now by schedule; p polls them anyway
        assert one(db_path, "SELECT count(*) FROM feeds WHERE next_poll_at > datetime('now', '+30 minutes')") == 2
        serve_desk(newsroom, DESK, "Desk", ITEMS + LATER)
        await pilot.press("p")
        await until_polled(pilot)
        assert one(db_path, "SELECT count(*) FROM articles WHERE origin = 'feed'") == 4
        assert one(db_path, "SELECT count(*) FROM poll_runs") == 2
        await pilot.pause(0.2)
        assert "watch hits 2 (W)" in status_text(app) and len(rings) == 2
        await pilot.press("W")
        await settle(pilot)
        watched = {r[0] for r in query(db_path, "SELECT s.cluster_id FROM watch_hits h JOIN assignments s "
                                                "ON s.article_id = h.article_id")}
        assert set(app.screen.query_one(ClusterList).ids) == watched
        assert one(db_path, "SELECT count(*) FROM watch_hits WHERE seen = 0") == 0
        await pilot.press("c")
        await settle(pilot)
        assert "watch hits" not in status_text(app) and len(rings) == 2
        # one feed from the feed-health screen
        # counted at the server: last_polled_at has whole seconds, and two polls can share one
        calm_asked, desk_asked = len(newsroom.hits(CALM)), len(newsroom.hits(DESK))
        await pilot.press("H")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        assert "1 article;" in app.screen.query_one("#feeds-text").render().plain  # Calm's one ("1 articles")
        await pilot.press("p", "C", "tab", "enter")
        await until_polled(pilot)
        assert not isinstance(app.screen, FeedsScreen)
        assert "polled 1 feed: 0 new" in status_text(app)  # "polled 1 feeds"
        assert one(db_path, "SELECT count(*) FROM poll_runs") == 3
        assert (len(newsroom.hits(CALM)), len(newsroom.hits(DESK))) == (calm_asked + 1, desk_asked)


async def test_undo_says_what_it_undid_and_names_the_target(built_db, offline_config):
    """The undo toast read 'Undid status:read on cluster 12' or 'Undid bulk on cluster 45' (one of
    the events a bulk change touched); it now says the action as it was told and names its target."""
    ids = view_ids(built_db)
    label = one(built_db, "SELECT label FROM clusters WHERE id = ?", ids[0])
    named = label[:59] + "…" if len(label) > 60 else label
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert toasts(app)[-1] == f"Undone (starred): event: {named}"
        assert one(built_db, "SELECT starred FROM clusters WHERE id = ?", ids[0]) == 0
        await pilot.press("tab")  # an article of the event, moved out and back
        member = app.screen.query_one(MemberList).selected
        await pilot.press("O")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert toasts(app)[-1].startswith(f"Undone (moved out into its own event): article: {member.title[:20]}")
        await pilot.press("escape", "A")  # every event in the view read, then back
        await settle(pilot)
        changed = int(toasts(app)[-1].split(": ")[1].split()[0])
        await pilot.press("u")
        await settle(pilot)
        assert toasts(app)[-1] == f"Undone (marked {changed} events read)"


def shown_lines(widget) -> str:
    """What the widget shows, line by line: all of it fits in its parent (nothing cut at the edge)."""
    assert widget.size.width <= widget.parent.content_size.width
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def test_prompts_show_their_whole_hint_and_every_known_value(built_db, offline_config):
    """The prompt's title and its known values were one line cut at the prompt's width: the search
    never showed where:/who:, and feeds past the first few (the Cyrillic ones last) were never listed."""
    feeds = [f.name for f in offline_config.feeds]
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        title = " ".join(shown_lines(prompt.query_one("#prompt-title")).split())
        assert title.endswith("prefix*, where:place, who:name)")
        await pilot.press("escape", "F")
        await settle(pilot)
        known = " ".join(shown_lines(app.screen.query_one("#prompt-known")).split())
        assert all(name in known for name in feeds), known


async def test_accepting_or_rejecting_a_proposed_article_says_which(built_db, offline_config):
    """a and o on an article proposed to a locked event: the toast said 'Proposal article: …' for both."""
    event = view_ids(built_db, sort="size")[0]
    first, second = [r[0] for r in query(built_db, "SELECT article_id FROM assignments WHERE cluster_id = ? "
                                                   "ORDER BY article_id LIMIT 2", event)]
    db = open_db(built_db)
    db.conn.execute("UPDATE clusters SET locked = 1 WHERE id = ?", [event])
    db.conn.execute("UPDATE assignments SET proposed = 1 WHERE article_id IN (?, ?)", [first, second])
    db.conn.commit()
    db.close()
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S", "g")  # by size: the event first
        await settle(pilot)
        assert app.screen.query_one(ClusterList).selected_id == event
        await pilot.press("tab")
        members = app.screen.query_one(MemberList)
        for key, verb, why in (("a", "Accepted", "(into the event)"), ("o", "Rejected", "(now an event of its own)")):
            row = next(i for i, m in enumerate(members.members) if m.proposed)
            members.move_cursor(row)
            title = members.selected.title
            await pilot.press(key)
            await settle(pilot)
            assert toasts(app)[-1].startswith(f"{verb} article: {title[:20]}") and toasts(app)[-1].endswith(why)
        assert one(built_db, "SELECT count(*) FROM assignments WHERE proposed = 1") == 0


async def test_a_locked_event_with_a_proposal_waiting_is_marked_and_next_unread_stops_there(built_db, offline_config):
    """An article proposed to a locked event did not count as news: the Events pane showed nothing
    (a proposal leaves the size as it is) and J went past the event, so it waited unseen."""
    ids = view_ids(built_db)
    event = ids[3]
    proposed = one(built_db, "SELECT max(article_id) FROM assignments WHERE cluster_id = ?", event)
    db = open_db(built_db)
    db.conn.execute("UPDATE clusters SET status = 'read', seen_size = size")  # everything read
    db.conn.execute("UPDATE clusters SET locked = 1 WHERE id = ?", [event])
    db.conn.execute("UPDATE assignments SET proposed = 1 WHERE article_id = ?", [proposed])
    db.conn.commit()
    db.close()
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        assert clusters.render_line(1 + 3).text.startswith("● L")  # under the header, the fourth row
        assert not any(clusters.render_line(1 + i).text.startswith("●") for i in (0, 1, 2, 4))
        await pilot.press("J")
        await settle(pilot)
        assert clusters.selected_id == event
