"""The event pane (`i`): sources, languages, figures, the sparkline, new members, at 80x24 and 120x40."""
from __future__ import annotations

import pytest

from monitor.tui.screens.brief import EventBriefScreen
from monitor.tui.widgets.cluster_list import ClusterList
from monitor.tui.widgets.member_list import MemberList
from tests.support.brief_events import kharkiv_grows_after_a_look
from tests.tui.conftest import settle
from tests.tui.helpers import make_app, one


def pane_text(app) -> str:
    return str(app.screen.query_one("#event-brief-text").render())


@pytest.mark.parametrize("size, moves", [((120, 40), ("j",)), ((120, 40), ()), ((80, 24), ())],
                         ids=["120x40-kursk", "120x40-kharkiv", "80x24-kharkiv"])
def test_event_pane_snapshots(snap_compare, brief_db, offline_config, size, moves):
    async def before(pilot):
        await settle(pilot)
        await pilot.press(*moves, "i")
        await settle(pilot)

    assert snap_compare(make_app(brief_db[0], offline_config), terminal_size=size, run_before=before)


async def test_pane_shows_sources_languages_figures_and_timeline(brief_db, offline_config):
    db_path, events = brief_db
    app = make_app(db_path, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, EventBriefScreen) and app.screen.cluster_id == events.kharkiv
        text = pane_text(app)
        assert "Sources: Kyiv Wire ×2, Euro Desk, Ukrinform UA" in text and "Copies: Aggregator" in text
        assert "Languages: en 4 · uk 1" in text and "Arrivals: ▂▁██" in text
        assert "Three people killed → five killed" in text
        assert "Where: Kharkiv 5" in text and "Syniehubov 5" in text  # the stored event identity
        await pilot.press("escape")
        await pilot.press("j", "i")
        await settle(pilot)
        assert app.screen.cluster_id == events.kursk
        assert "⚠ sources disagree" in pane_text(app) and "the Russian defense ministry" in pane_text(app)


async def test_members_new_since_last_look_are_marked(brief_db, offline_config):
    db_path, events = brief_db
    kharkiv_grows_after_a_look(db_path, events)
    app = make_app(db_path, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        lines = pane_text(app).splitlines()
        marked = [line for line in lines if line.startswith(" ●")]
        assert len(marked) == 1 and "Rescuers end search in Kharkiv rubble" in marked[0]
        assert "new since you last looked: 1" in pane_text(app)


async def test_the_brief_of_a_one_article_event_counts_in_the_singular(built_db, offline_config):
    """'1 articles · 1 sources' under the headline."""
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S", "G", "i")  # sorted by size: the last event has one article
        await settle(pilot)
        assert isinstance(app.screen, EventBriefScreen)
        assert "1 article · 1 source ·" in pane_text(app)


async def test_entering_an_event_keeps_the_marks_of_what_joined_since_the_last_look(brief_db, offline_config):
    """● marked what joined an event since the analyst last opened it only until the event was opened:
    entering it records the new look, the next reload (within seconds) drew the list again without
    them, so the analyst inside the event could no longer tell which articles were new."""
    db_path, events = brief_db
    later = kharkiv_grows_after_a_look(db_path, events)
    app = make_app(db_path, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        members = app.screen.query_one(MemberList)
        assert app.screen.query_one(ClusterList).selected_id == events.kharkiv
        await pilot.press("enter")  # into the event: its look is recorded
        await settle(pilot)
        await pilot.pause(2.0)  # the watcher sees the look's commit and reloads the event
        await settle(pilot)
        assert one(db_path, "SELECT seen_size = size FROM clusters WHERE id = ?", events.kharkiv) == 1
        assert [m.article_id for m in members.members if m.arrived_since_seen] == [later]
        await pilot.press("enter", "escape")  # read it and come back: still marked while in the event
        await settle(pilot)
        assert [m.article_id for m in members.members if m.arrived_since_seen] == [later]
        await pilot.press("i")  # the brief says the same (it said 0 once the event was entered)
        await settle(pilot)
        assert "new since you last looked: 1" in pane_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape", "j", "k")  # out to another event and back: the visit is over
        await settle(pilot)
        assert not [m for m in members.members if m.arrived_since_seen]


async def test_the_brief_of_an_event_never_opened_says_every_article_is_new(brief_db, offline_config):
    """It said '● new since you last looked: 0' for an event the analyst had never opened: every
    member is new there (the Articles pane marks none apart either)."""
    db_path, events = brief_db
    assert one(db_path, "SELECT seen_size FROM clusters WHERE id = ?", events.kharkiv) == 0
    app = make_app(db_path, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        text = pane_text(app)
        assert "never opened: every article is new" in text and "new since you last looked: 0" not in text
        await pilot.press("escape", "enter")  # entered for the first time: still every article is new
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert "never opened: every article is new" in pane_text(app)
