"""Bulk actions on marked rows (space marks, U or esc clears) and newsboat's q and A: what the
analyst presses, read back from the database."""
from __future__ import annotations

from pathlib import Path

from monitor.store import open_db, write_transaction
from monitor.tui.widgets.cluster_list import MARK, ClusterList
from monitor.tui.widgets.member_list import MemberList
from monitor.tui.widgets.status_line import StatusLine
from tests.tui.conftest import settle
from tests.tui.helpers import make_app, one, query
from tests.tui.test_analyst_loop import toasts, view_ids


def status_text(app) -> str:
    return str(app.screen.query_one(StatusLine).render())


def starred(db_path, ids) -> list[int]:
    return [one(db_path, "SELECT starred FROM clusters WHERE id = ?", i) for i in ids]


def row_text(widget, index: int) -> str:
    return widget.render_line(index + 1 - widget.top()).text


async def test_marked_events_are_shown_counted_and_starred_read_tagged_at_once_each_undone_in_one_step(
        built_db, offline_config):
    ids = view_ids(built_db)
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        await pilot.press("space", "j", "space", "space")  # marks 0, skips 1, marks 2 and 3
        await settle(pilot)
        assert clusters.cursor == 4 and set(clusters.marked) == {ids[0], ids[2], ids[3]}
        assert MARK in row_text(clusters, 0) and MARK not in row_text(clusters, 1) and MARK in row_text(clusters, 2)
        assert "✓ 3 events marked" in status_text(app)
        await pilot.press("s")  # the cursor's event (4) is not marked: the marked ones are starred
        await settle(pilot)
        assert starred(built_db, ids[:5]) == [1, 0, 1, 1, 0]
        assert toasts(app)[-1] == "Starred 3 marked events"
        await pilot.press("u")
        await settle(pilot)
        assert starred(built_db, ids[:5]) == [0] * 5  # one step
        assert toasts(app)[-1] == "Undone (starred 3 marked events)"
        await pilot.press("r")
        await settle(pilot)
        assert [one(built_db, "SELECT status FROM clusters WHERE id = ?", i) for i in ids[:4]] == \
            ["read", "new", "read", "read"]
        await pilot.press("t", *"kursk", "enter")
        await settle(pilot)
        tagged = {r[0] for r in query(built_db, "SELECT ct.cluster_id FROM cluster_tags ct JOIN tags t "
                                      "ON t.id = ct.tag_id WHERE t.name = 'kursk'")}
        assert tagged == {ids[0], ids[2], ids[3]}
        await pilot.press("U")
        await settle(pilot)
        assert not clusters.marked and "marked" not in status_text(app)
        await pilot.press("s")  # no marks: the cursor's event alone, as before
        await settle(pilot)
        assert starred(built_db, ids[:5]) == [0, 0, 0, 0, 1]


async def test_marks_survive_a_reload_from_cron_and_esc_clears_them(built_db: Path, offline_config):
    ids = view_ids(built_db)
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "space", "space")
        await settle(pilot)
        db = open_db(built_db, migrate=False)  # another process (cron) writes: the view reloads
        with write_transaction(db):
            db.conn.execute("UPDATE clusters SET starred = 1 WHERE id = ?", [ids[0]])
        db.close()
        await pilot.pause(2.0)
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        assert clusters.marked == {ids[1], ids[2]} and "✓ 2 events marked" in status_text(app)
        assert MARK in row_text(clusters, clusters.ids.index(ids[1]))
        await pilot.press("d")
        await settle(pilot)
        assert [one(built_db, "SELECT status FROM clusters WHERE id = ?", i) for i in ids[1:3]] == ["dismissed"] * 2
        await pilot.press("escape")
        await settle(pilot)
        assert not clusters.marked and "marked" not in status_text(app)


async def test_marked_articles_are_acted_on_in_the_articles_pane(built_db, offline_config):
    event = view_ids(built_db, sort="size")[0]
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S", "g")  # by size: the biggest event first
        await settle(pilot)
        assert app.screen.query_one(ClusterList).selected_id == event
        await pilot.press("tab", "g", "space", "space")
        await settle(pilot)
        members = app.screen.query_one(MemberList)
        chosen = [m.article_id for m in members.members[:2]]
        assert set(members.marked) == set(chosen) and "✓ 2 articles marked" in status_text(app)
        assert MARK in row_text(members, 0)
        await pilot.press("s")
        await settle(pilot)
        assert [one(built_db, "SELECT starred FROM articles WHERE id = ?", i) for i in chosen] == [1, 1]
        assert one(built_db, "SELECT starred FROM clusters WHERE id = ?", event) == 0
        assert toasts(app)[-1] == "Starred 2 marked articles"


async def test_m_merges_the_marked_events_into_the_cursors_and_u_splits_them_again(built_db, offline_config):
    ids = view_ids(built_db)
    sizes = {i: one(built_db, "SELECT size FROM clusters WHERE id = ?", i) for i in ids[:3]}
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "space", "space", "g", "m")  # 1 and 2 marked, merged into 0
        await settle(pilot)
        assert one(built_db, "SELECT size FROM clusters WHERE id = ?", ids[0]) == sum(sizes.values())
        assert [one(built_db, "SELECT merged_into FROM clusters WHERE id = ?", i) for i in ids[1:3]] == [ids[0]] * 2
        assert toasts(app)[-1] == "Merged 2 marked events into this one"
        assert not app.screen.query_one(ClusterList).marked
        await pilot.press("u")
        await settle(pilot)
        assert {i: one(built_db, "SELECT size FROM clusters WHERE id = ?", i) for i in ids[:3]} == sizes


async def test_x_exports_the_marked_events(built_db, offline_config, tmp_path):
    ids = view_ids(built_db)
    labels = [one(built_db, "SELECT label FROM clusters WHERE id = ?", i) for i in ids[:6]]
    app = make_app(built_db, offline_config, export_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "space", "j", "j", "space", "x")  # space moves down: 1 and 4 marked
        await settle(pilot)
        exported = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
        assert f"## {labels[1]}" in exported and f"## {labels[4]}" in exported
        assert not any(f"## {label}" in exported for label in (labels[0], labels[2], labels[3], labels[5]))


async def test_q_goes_back_from_the_articles_pane_and_quits_at_the_events(built_db, offline_config):
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # into the event
        await settle(pilot)
        assert isinstance(app.screen.focused, MemberList)
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen.focused, ClusterList)
        await pilot.press("tab", "tab", "q")  # the Corpus pane: back too
        await settle(pilot)
        assert app.is_running and isinstance(app.screen.focused, ClusterList)
        await pilot.press("q")
        await pilot.pause(0.5)
        assert not app.is_running


async def test_A_in_the_articles_pane_marks_the_events_articles_read_says_how_many_and_undoes(
        built_db, offline_config):
    event = view_ids(built_db, sort="size")[0]
    articles = [r[0] for r in query(built_db, "SELECT article_id FROM assignments WHERE cluster_id = ?", event)]
    unread = one(built_db, "SELECT count(*) FROM articles WHERE status = 'new' AND id IN "
                 "(SELECT article_id FROM assignments WHERE cluster_id = ?)", event)
    assert unread == len(articles) > 2
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S", "g", "tab")
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert toasts(app)[-1] == f"Marked read: {len(articles)} articles"
        assert one(built_db, "SELECT count(*) FROM articles WHERE status = 'read' AND id IN "
                   "(SELECT article_id FROM assignments WHERE cluster_id = ?)", event) == len(articles)
        assert one(built_db, "SELECT status FROM clusters WHERE id = ?", event) == "new"  # the events stay
        await pilot.press("u")
        await settle(pilot)
        assert toasts(app)[-1] == f"Undone (marked {len(articles)} articles read)"
        assert one(built_db, "SELECT count(*) FROM articles WHERE status = 'new' AND id IN "
                   "(SELECT article_id FROM assignments WHERE cluster_id = ?)", event) == len(articles)


async def test_at_80_columns_the_marks_leave_room_for_the_poll_counts(built_db, offline_config):
    """The note 'keys act on them' made the marks take the whole line at 80 columns: the last poll
    and the failing feeds were left out while events were marked."""
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        await settle(pilot)
        first = status_text(app).splitlines()[0]
        assert first.startswith("✓ 2 events marked (U clears)") and "last poll" in first and "failing" in first


async def test_a_marked_articles_title_keeps_its_ellipsis(built_db, offline_config):
    """The ✓ was put before a title already cut to its column: the cell lost its last cells and
    the ellipsis that says the title goes on ('✓ У Харкові оголошено день жал')."""
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("S", "g", "tab", "g")
        await settle(pilot)
        members = app.screen.query_one(MemberList)
        before = row_text(members, 0)
        assert "…" in before  # a title longer than its column at 80 columns
        await pilot.press("space")
        await settle(pilot)
        after = row_text(members, 0)
        assert MARK in after and "…" in after and len(after.rstrip()) == len(before.rstrip())
