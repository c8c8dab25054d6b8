"""Snapshots of the main screen, the reader, the help and the empty state at 120x40 and 80x24.

The database is built from real fixtures with frozen times and the app's clock is frozen, so
the screens are the same on every run. Regenerate with `pytest tests/tui --snapshot-update`.
"""
from __future__ import annotations

import pytest

from tests.tui.conftest import settle
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
