"""Snapshots of the main screen, the reader, the help and the empty state at 120x40 and 80x24.

The database is built from real fixtures with frozen times and the app's clock is frozen, so
the screens are the same on every run. Regenerate with `pytest tests/tui --snapshot-update`.
"""
from __future__ import annotations

import pytest

from tests.tui.conftest import freeze_corpus_paths, settle
from tests.tui.helpers import make_app

SIZES = [(120, 40), (80, 24)]


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_main_screen(snap_compare, built_db, offline_config, size):
    async def before(pilot):
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)

    assert snap_compare(make_app(built_db, offline_config), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_reader(snap_compare, built_db, offline_config, size):
    async def before(pilot):
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)

    assert snap_compare(make_app(built_db, offline_config), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_help(snap_compare, built_db, offline_config, size):
    async def before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(built_db, offline_config), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_empty_state(snap_compare, db_path, offline_config, size):
    async def before(pilot):
        await settle(pilot)

    assert snap_compare(make_app(db_path, offline_config), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_focused_pane_with_the_events_tags_and_note(snap_compare, built_db, offline_config, size):
    """The Articles pane focused (heavy frame), the selected event's tags and note above it."""
    async def before(pilot):
        await settle(pilot)
        await pilot.press("t", *"kharkiv", "enter")
        await settle(pilot)
        await pilot.press("t", *"glide bombs", "enter")
        await settle(pilot)
        await pilot.press("n", *"two sources confirm; wait for the ministry", "enter")
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(built_db, offline_config), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_corpus_on_an_empty_database(snap_compare, db_path, offline_config, size):
    """No event yet: the corpus is listed, the first-run help beside it."""
    from monitor.corpus.importer import import_paths
    from monitor.store import open_db
    from tests.conftest import shared_path

    db = open_db(db_path)
    import_paths(db, [shared_path("corpus")])
    db.conn.execute("UPDATE articles SET created_at = '2026-11-21T14:30:00Z', fetched_at = '2026-11-21T14:30:00Z'")
    freeze_corpus_paths(db.conn)
    db.conn.commit()
    db.close()

    async def before(pilot):
        await settle(pilot)

    assert snap_compare(make_app(db_path, offline_config), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_status_line_with_a_query_and_filters(snap_compare, built_db, offline_config, size):
    """The whole search and every filter on the status line, wrapped rather than cut at 80 columns."""
    async def before(pilot):
        await settle(pilot)
        await pilot.press("slash", *"trump OR biden -obama", "enter", "f", "F", *"Guardian World", "enter")
        await settle(pilot)

    assert snap_compare(make_app(built_db, offline_config), terminal_size=size, run_before=before)
