"""The main screen's event pane: above the selected event's articles, its sources and first outlet,
languages, arrivals sparkline, where and who, top figures with disagreements marked; members that
arrived since the analyst last looked are marked ●. Snapshots at 80x24 and 120x40."""
from __future__ import annotations

import pytest

from monitor.store import open_db, views
from monitor.store.brief import event_brief
from monitor.tui.widgets.member_list import MemberList, columns, member_cells
from tests.support.brief_events import kharkiv_grows_after_a_look
from tests.tui.conftest import FROZEN_NOW, settle
from tests.tui.helpers import make_app

SIZES = [(120, 40), (80, 24)]


def header(app) -> list[str]:
    return str(app.screen.query_one("#event-info").render()).splitlines()


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_event_pane_on_the_built_database(snap_compare, built_db, offline_config, size):
    """A fixture event whose sources disagree on a percentage: the ⚠ line above its article."""
    async def before(pilot):
        await settle(pilot)
        await pilot.press("slash", *"oversupply", "enter")
        await settle(pilot)

    assert snap_compare(make_app(built_db, offline_config), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size, moves", [((120, 40), ("j",)), ((80, 24), ())], ids=["120x40-kursk", "80x24-kharkiv"])
def test_event_pane_with_changes_copies_and_disagreements(snap_compare, brief_db, offline_config, size, moves):
    async def before(pilot):
        await settle(pilot)
        await pilot.press(*moves)
        await settle(pilot)

    assert snap_compare(make_app(brief_db[0], offline_config), terminal_size=size, run_before=before)


async def test_header_follows_the_cursor(brief_db, offline_config):
    db_path, events = brief_db
    app = make_app(db_path, offline_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.detail_for == events.kharkiv
        lines = header(app)
        assert len(lines) == 7 and lines[5].startswith("tags ") and lines[6].startswith("note ")
        assert lines[0].startswith("3 sources +1 copy · first")  # Kyiv Wire's two URLs are one; Aggregator copied
        assert lines[1] == "en 4 · uk 1 · ▂▁██ per 1 h"
        assert lines[2].startswith("where Kharkiv · who ") and "Syniehubov" in lines[2]  # the identity features
        assert lines[3] == "killed / losses: Three → five"  # a change, not a disagreement
        assert "⚠" not in "".join(lines)
        await pilot.press("j")
        await settle(pilot)
        assert app.screen.detail_for == events.kursk
        lines = header(app)
        assert lines[0] == "2 sources · first Front Line Daily"
        assert lines[2].startswith("where Kursk")
        assert sum(line.startswith("⚠ ") for line in lines[3:5]) == 2
        assert "⚠ killed / losses: approximately 15,000 ≠ exceeding 49,000" in lines[3:5]


async def test_members_new_since_the_last_look_are_marked(brief_db, offline_config):
    db_path, events = brief_db
    later = kharkiv_grows_after_a_look(db_path, events)
    db = open_db(db_path)
    brief = event_brief(db, events.kharkiv)
    assert brief is not None
    assert {m.article_id for m in views.cluster_members(db, events.kharkiv) if m.arrived_since_seen} \
        == {m.article_id for m in brief.members if m.new} == {later}  # one rule for the pane and the brief
    db.close()
    app = make_app(db_path, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        members = app.screen.query_one(MemberList).members
        cols = columns(60)
        marks = {m.article_id: member_cells(m, cols, FROZEN_NOW, "")[0].plain for m in members}
        assert marks[later] == "  ●" and all("●" not in mark for aid, mark in marks.items() if aid != later)


async def test_header_waits_for_the_selected_events_brief(brief_db, offline_config):
    """While the next event's brief loads, its lines are not the previous event's."""
    from monitor.tui.widgets.event_header import event_header

    db_path, events = brief_db
    db = open_db(db_path)
    kursk = event_brief(db, events.kursk)
    db.close()
    waiting = str(event_header(None, ("kursk",), [])).splitlines()
    assert waiting[:5] == ["…"] * 5 and waiting[5] == "tags kursk"
    assert str(event_header(None, (), [], waiting=False)).splitlines()[:5] == [""] * 5  # no event selected
    shown = str(event_header(kursk, (), ["check the figures"])).splitlines()
    assert len(shown) == len(waiting) == 7 and shown[6] == "note check the figures"
