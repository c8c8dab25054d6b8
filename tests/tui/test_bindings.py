"""Every binding driven through Pilot, its effect read back from the database."""
from __future__ import annotations

import io
import webbrowser

from rich.console import Console

from monitor.store import open_db, views
from monitor.tui.screens.help import HelpScreen, help_text
from monitor.tui.screens.prompt import PromptScreen
from monitor.tui.screens.reader import ReaderScreen
from monitor.tui.widgets.cluster_list import ClusterList
from monitor.tui.widgets.member_list import MemberList
from tests.tui.conftest import settle
from tests.tui.helpers import make_app, one, query, scrolls_with_the_list_keys


def view_ids(db_path, **filters) -> list[int]:
    from monitor.store import open_db

    return views.cluster_ids(open_db(db_path, migrate=False), views.ClusterFilter(**filters))


async def test_moves_open_and_back(built_db, offline_config):
    ids = view_ids(built_db)
    assert len(ids) > 3, "the built database should hold clusters"
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        assert clusters.ids == ids
        await pilot.press("j", "down")
        assert clusters.selected_id == ids[2]
        await pilot.press("k")
        assert clusters.selected_id == ids[1]
        await pilot.press("G")
        assert clusters.selected_id == ids[-1]
        await pilot.press("g")
        assert clusters.selected_id == ids[0]
        await pilot.press("pagedown")
        assert clusters.cursor > 1
        await pilot.press("pageup", "up", "end", "home")
        assert clusters.selected_id == ids[0]
        await settle(pilot)
        members = app.screen.query_one(MemberList)
        expected = [r[0] for r in query(built_db, "SELECT a.id FROM assignments s JOIN articles a ON a.id = s.article_id "
                                                  "WHERE s.cluster_id = ? ORDER BY a.published_at DESC, a.id DESC", ids[0])]
        assert [m.article_id for m in members.members] == expected
        # open a cluster: it is 'seen' (no growth mark) and the members pane takes focus
        await pilot.press("enter")
        await settle(pilot)
        assert one(built_db, "SELECT seen_size = size FROM clusters WHERE id = ?", ids[0]) == 1
        assert app.screen.focused is members
        # open an article: the reader shows it and it is marked read
        article_id = members.selected.article_id
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.screen.article_id == article_id
        assert one(built_db, "SELECT status FROM articles WHERE id = ?", article_id) == "read"
        await pilot.press("j", "k", "escape")
        assert not isinstance(app.screen, ReaderScreen)
        # back from members returns to the cluster list; tab / shift+tab cycle the panes
        await pilot.press("escape")
        assert app.screen.focused is clusters
        await pilot.press("tab")
        assert app.screen.focused is members
        await pilot.press("tab")
        assert app.screen.focused.id == "corpus-options"
        await pilot.press("shift+tab", "shift+tab")
        assert app.screen.focused is clusters


async def test_cluster_triage_and_undo(built_db, offline_config):
    ids = view_ids(built_db)
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = ids[0]
        await pilot.press("r")
        await settle(pilot)
        assert one(built_db, "SELECT status FROM clusters WHERE id = ?", first) == "read"
        await pilot.press("r")
        await settle(pilot)
        assert one(built_db, "SELECT status FROM clusters WHERE id = ?", first) == "new"
        await pilot.press("s")
        await settle(pilot)
        assert one(built_db, "SELECT starred FROM clusters WHERE id = ?", first) == 1
        await pilot.press("u")
        await settle(pilot)
        assert one(built_db, "SELECT starred FROM clusters WHERE id = ?", first) == 0
        await pilot.press("d")
        await settle(pilot)
        assert one(built_db, "SELECT status FROM clusters WHERE id = ?", first) == "dismissed"
        # a dismissed cluster leaves the default view; the next one is selected
        assert first not in app.screen.query_one(ClusterList).ids
        actions = [r[0] for r in query(built_db, "SELECT action FROM triage_log ORDER BY id")]
        assert actions == ["status:read", "status:new", "star", "status:dismissed"]


async def test_article_triage_in_members(built_db, offline_config):
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        members = app.screen.query_one(MemberList)
        article_id = members.selected.article_id
        await pilot.press("s", "d")
        await settle(pilot)
        assert query(built_db, "SELECT starred, status FROM articles WHERE id = ?", article_id) == [(1, "dismissed")]
        await pilot.press("d", "r")
        await settle(pilot)
        assert one(built_db, "SELECT status FROM articles WHERE id = ?", article_id) == "read"


async def test_tag_with_completion_note_and_untag(built_db, offline_config):
    ids = view_ids(built_db)
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"kursk-offensive", "enter")
        await settle(pilot)
        await pilot.press("j", "t")
        await pilot.press("k", "u", "r")  # 'kur' completes to the existing tag
        await pilot.press("right", "enter")
        await settle(pilot)
        tagged = query(built_db, "SELECT ct.cluster_id FROM cluster_tags ct JOIN tags t ON t.id = ct.tag_id "
                                 "WHERE t.name = 'kursk-offensive' ORDER BY ct.cluster_id")
        assert [r[0] for r in tagged] == sorted(ids[:2])
        await pilot.press("n", *"check the source", "enter")
        await settle(pilot)
        assert query(built_db, "SELECT cluster_id, body FROM notes") == [(ids[1], "check the source")]
        await pilot.press("ctrl+t", *"kursk-offensive", "enter")
        await settle(pilot)
        assert one(built_db, "SELECT count(*) FROM cluster_tags WHERE cluster_id = ?", ids[1]) == 0


async def test_merge_move_out_and_lock(built_db, offline_config):
    ids = view_ids(built_db)
    target, source = ids[1], ids[0]
    source_members = {r[0] for r in query(built_db, "SELECT article_id FROM assignments WHERE cluster_id = ?", source)}
    before = query(built_db, "SELECT article_id, cluster_id, method, reason FROM assignments WHERE cluster_id = ? "
                   "ORDER BY article_id", source)
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m", "j", "m")
        await settle(pilot)
        moved = {r[0] for r in query(built_db, "SELECT article_id FROM assignments WHERE cluster_id = ?", target)}
        assert source_members <= moved
        await pilot.press("L")
        await settle(pilot)
        locked_id = app.screen.query_one(ClusterList).selected_id
        assert one(built_db, "SELECT locked FROM clusters WHERE id = ?", locked_id) == 1
        await pilot.press("tab")
        article_id = app.screen.query_one(MemberList).selected.article_id
        await pilot.press("O")
        await settle(pilot)
        assert one(built_db, "SELECT cluster_id FROM assignments WHERE article_id = ?", article_id) != locked_id
        # u undoes them in turn: the move out, the lock, then the merge
        await pilot.press("u")
        await settle(pilot)
        assert one(built_db, "SELECT cluster_id FROM assignments WHERE article_id = ?", article_id) == locked_id
        await pilot.press("u")
        await settle(pilot)
        assert one(built_db, "SELECT locked FROM clusters WHERE id = ?", locked_id) == 0
        await pilot.press("u")
        await settle(pilot)
        assert query(built_db, "SELECT article_id, cluster_id, method, reason FROM assignments WHERE article_id IN "
                     f"({','.join('?' * len(source_members))}) ORDER BY article_id", *sorted(source_members)) == before
        assert one(built_db, "SELECT merged_into FROM clusters WHERE id = ?", source) is None
        assert one(built_db, "SELECT size FROM clusters WHERE id = ?", source) == len(source_members)


async def test_search_filters_sort_and_corpus(built_db, offline_config):
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        await pilot.press("slash", *"assange", "enter")
        await settle(pilot)
        assert clusters.ids == view_ids(built_db, query="assange") and clusters.ids
        await pilot.press("escape")  # back on the list clears the search
        await settle(pilot)
        assert clusters.ids == view_ids(built_db)
        await pilot.press("S")
        await settle(pilot)
        assert clusters.ids == view_ids(built_db, sort="size")
        await pilot.press("S")
        await settle(pilot)
        assert clusters.ids == view_ids(built_db, sort="velocity")
        await pilot.press("f")  # state: new
        await settle(pilot)
        assert clusters.ids == view_ids(built_db, sort="velocity", state="new")
        await pilot.press("F", *"heise online", "enter")
        await settle(pilot)
        assert clusters.ids == view_ids(built_db, sort="velocity", state="new", feed="heise online")
        await pilot.press("c")
        await settle(pilot)
        assert clusters.ids == view_ids(built_db, sort="velocity")
        await pilot.press("w")  # last 24 hours of the frozen clock
        await settle(pilot)
        assert clusters.ids == view_ids(built_db, sort="velocity", since="2026-11-20T15:00:00Z")
        await pilot.press("c", "t", *"watch", "enter")
        await settle(pilot)
        await pilot.press("T", *"watch", "enter")
        await settle(pilot)
        assert clusters.ids == view_ids(built_db, sort="velocity", tag="watch") and len(clusters.ids) == 1
        await pilot.press("C")
        await settle(pilot)
        corpus = app.screen.query_one("#corpus-options")
        assert corpus.option_count == one(built_db, "SELECT count(*) FROM articles WHERE origin = 'corpus'") == 5


async def test_export_browser_help_palette_and_quit(built_db, offline_config, tmp_path, monkeypatch):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$1\" >> {opened}\n")
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    app = make_app(built_db, offline_config, export_dir=tmp_path / "exports")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        exported = list((tmp_path / "exports").glob("*.md"))
        assert len(exported) == 1
        label = one(built_db, "SELECT label FROM clusters WHERE id = ?", app.screen.query_one(ClusterList).selected_id)
        assert label[:20] in exported[0].read_text()
        await pilot.press("tab", "b")
        url = one(built_db, "SELECT url FROM articles WHERE id = ?", app.screen.query_one(MemberList).selected.article_id)
        for _ in range(50):
            if opened.exists():
                break
            await pilot.pause(0.05)
        assert opened.read_text().strip() == url
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("shift+tab")
        await pilot.press("ctrl+p", *"Star / unstar")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert one(built_db, "SELECT starred FROM clusters WHERE id = ?", app.screen.query_one(ClusterList).selected_id) == 1
        await pilot.press("q")
    assert app.return_code == 0 or app.return_code is None


async def test_reader_keys(built_db, offline_config):
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("s", "r", "t", *"sources", "enter")
        await settle(pilot)
        await pilot.press("n", *"verify", "enter")
        await settle(pilot)
        aid = reader.article_id
        assert query(built_db, "SELECT starred, status FROM articles WHERE id = ?", aid) == [(1, "new")]
        assert one(built_db, "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = ?", aid) == "sources"
        assert one(built_db, "SELECT body FROM notes WHERE article_id = ?", aid) == "verify"
        hints = reader.query_one("#hints").render_line(0).text  # q goes back here: its hint said "quit"
        assert " q  quit" not in hints and " esc  back" in hints and " ?  help" in hints
        await pilot.press("q")
        assert not isinstance(app.screen, ReaderScreen)
        assert isinstance(app.screen.focused, MemberList)  # back to the list it was opened from
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(help_text({}))  # what ? shows; it said "Back to the events"
        help_shown = console.export_text()
        assert "Back to the list the article was opened from" in help_shown and "Back to the events" not in help_shown


async def test_keymap_rebinds_by_id(built_db, offline_config):
    from dataclasses import replace

    config = replace(offline_config, keymap={"triage.star": "z"})
    app = make_app(built_db, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        selected = app.screen.query_one(ClusterList).selected_id
        await pilot.press("s")
        await settle(pilot)
        assert one(built_db, "SELECT starred FROM clusters WHERE id = ?", selected) == 0
        await pilot.press("z")
        await settle(pilot)
        assert one(built_db, "SELECT starred FROM clusters WHERE id = ?", selected) == 1


async def test_palette_offers_every_action_and_moves_the_list(built_db, offline_config, tmp_path):
    from monitor.tui.actions import MAIN, NAVIGATION

    app = make_app(built_db, offline_config, export_dir=tmp_path / "exports")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {s.description for s in MAIN + NAVIGATION} <= titles
        clusters = app.screen.query_one(ClusterList)
        await pilot.press("ctrl+p", *"Last row")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert clusters.selected_id == clusters.ids[-1]
        await pilot.press("ctrl+p", *"Export the current view as csv")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        for _ in range(50):
            if list((tmp_path / "exports").glob("*.csv")):
                break
            await pilot.pause(0.05)
        exported = list((tmp_path / "exports").glob("*.csv"))
        assert len(exported) == 1 and exported[0].read_text().startswith("cluster_id,")


async def test_reader_opens_each_article_afresh(built_db, offline_config):
    """One reader screen serves every article: each opening shows that article from the top and
    marks it read; coming back from a prompt over the reader marks nothing again."""
    def meta_of(app) -> str:
        return str(app.screen.query_one("#article-meta").render())

    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        first = app.screen.article_id
        first_title = one(built_db, "SELECT title FROM articles WHERE id = ?", first)
        assert first_title[:20] in meta_of(app)
        await pilot.press("j", "j", "r")  # scrolled, then marked unread again
        await settle(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.screen.article_id == first
        assert one(built_db, "SELECT status FROM articles WHERE id = ?", first) == "new"
        await pilot.press("escape", "escape", "j", "tab", "enter")
        await settle(pilot)
        second = app.screen.article_id
        assert isinstance(app.screen, ReaderScreen) and second != first
        second_title = one(built_db, "SELECT title FROM articles WHERE id = ?", second)
        assert second_title[:20] in meta_of(app) and first_title[:20] not in meta_of(app)
        assert app.screen.query_one("#reader").scroll_y == 0
        assert one(built_db, "SELECT status FROM articles WHERE id = ?", second) == "read"


async def test_feed_health_lists_failing_feeds_first_as_plain_text(built_db, offline_config):
    from textual.widgets import Static

    from monitor.store import open_db
    from monitor.store.feeds import PollRecord, feed_id_by_name, record_poll
    from monitor.tui.screens.feeds import FeedsScreen
    from tests.tui.conftest import NEWS_FEEDS

    failing = sorted(name for name, _, _ in NEWS_FEEDS)[-1]  # last by name: listed first only if failing
    db = open_db(built_db)
    record_poll(db, feed_id_by_name(db, failing), PollRecord(
        "failed", 500, "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", error_count=3,
        error="HTTP 500 [bold]boom[/bold] \x1b[2J", retry_after_until=None, moved_to="https://example.org/new.xml"))
    db.close()
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("H")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        shown = str(app.screen.query_one("#feeds-text", Static).content)
        lines = shown.splitlines()
        assert f"{one(built_db, 'SELECT count(*) FROM feeds WHERE in_config = 1')} feeds, 1 failing" in lines[0]
        assert lines[2].startswith(f"{failing}  failed, HTTP 500")
        assert "last error: HTTP 500 [bold]boom[/bold] " in shown and "\x1b" not in shown  # literal, inert
        assert "moved permanently to https://example.org/new.xml" in shown
        assert all(name in shown for name, _, _ in NEWS_FEEDS)
        await pilot.press("escape")
        assert not isinstance(app.screen, FeedsScreen)


async def test_a_merge_marks_the_articles_it_brought_as_new_to_the_event(built_db, offline_config):
    """After a merge into an event the analyst had opened, ● marks the merged-in articles. They kept
    the time they first joined their own event, so the ● fell on the event's latest own articles."""
    ids = view_ids(built_db)
    source, target = ids[0], ids[1]
    members_of = lambda cid: {r[0] for r in query(  # noqa: E731
        built_db, "SELECT article_id FROM assignments WHERE cluster_id = ?", cid)}
    brought, own = members_of(source), members_of(target)
    db = open_db(built_db)  # the event merged in is the older one: its articles joined a day before
    db.conn.execute("UPDATE assignments SET assigned_at = '2026-11-20T09:00:00Z' WHERE cluster_id = ?", [source])
    db.conn.commit()
    db.close()
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")  # open the target: what it holds now is seen
        await settle(pilot)
        assert one(built_db, "SELECT seen_size FROM clusters WHERE id = ?", target) == len(own)
        await pilot.press("escape", "g", "m", "j", "m")  # merge the first event into it
        await settle(pilot)
        assert members_of(target) == brought | own
        clusters, members = app.screen.query_one(ClusterList), app.screen.query_one(MemberList)
        assert clusters.selected_id == target
        marked = {m.article_id for m in members.members if m.arrived_since_seen}
        assert marked == brought


async def test_help_scrolls_with_the_list_keys_and_cuts_no_description(built_db, offline_config):
    """At 80x24 the help did not move on j, k, ctrl+d, g or G (only on the arrows and pgup/pgdn),
    and descriptions longer than 40 characters were cut with an ellipsis."""
    from monitor.tui.actions import ALL

    app = make_app(built_db, offline_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_view = app.screen.query_one("#help")
        assert help_view.max_scroll_y > 5
        await scrolls_with_the_list_keys(pilot, help_view)
        text = app.screen.query_one("#help-text")
        shown = " ".join("".join(text.render_line(y).text for y in range(text.size.height)).split())
        assert "…" not in shown
        for spec in ALL:  # each description whole (wrapped in its column, its lines between the others')
            assert all(word in shown for word in spec.description.split()), spec.description
