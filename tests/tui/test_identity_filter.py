"""Filtering the event list by a place or a name from the dashboard: `P` offers the selected event's
top places and names (from the event-identity features), `/` takes where:/who: in the search."""
from __future__ import annotations


from monitor.tui.screens.prompt import PromptScreen
from monitor.tui.widgets.cluster_list import ClusterList
from tests.tui.conftest import settle
from tests.tui.helpers import make_app


def listed(app) -> list[int]:
    return list(app.screen.query_one(ClusterList).ids)


async def test_p_offers_the_events_places_and_names_and_filters_by_one(brief_db, offline_config):
    db_path, events = brief_db
    app = make_app(db_path, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert set(listed(app)) == {events.kharkiv, events.kursk}
        await pilot.press("j")
        await settle(pilot)
        assert app.screen.detail_for == events.kursk
        where = str(app.screen.query_one("#event-info").render()).splitlines()[2]
        assert where.startswith("where Kursk")
        await pilot.press("P")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen) and "where:Kursk" in prompt.suggestions
        await pilot.press(*"where:Kursk", "enter")
        await settle(pilot)
        assert listed(app) == [events.kursk] and app.screen.filter.query == "where:Kursk"
        await pilot.press("c", "P", *"Kharkov", "enter")  # a bare word is a place, in any spelling
        await settle(pilot)
        assert listed(app) == [events.kharkiv] and app.screen.filter.query == "where:Kharkov"


async def test_search_takes_where_and_who_and_refuses_them_inside_or(brief_db, offline_config):
    db_path, events = brief_db
    app = make_app(db_path, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"-where:Харків", "enter")
        await settle(pilot)
        assert listed(app) == [events.kursk]
        await pilot.press("slash", "ctrl+u", *"kursk OR who:Syniehubov", "enter")
        await settle(pilot)
        assert listed(app) == [events.kursk] and app.screen.filter.query == "-where:Харків"  # unchanged
        notices = [n.message for n in app._notifications]
        assert any("not inside OR" in n for n in notices)


async def test_a_cyrillic_search_that_finds_nothing_offers_a_prefix_and_where(brief_db, offline_config):
    """'Харків' found nothing in reports writing 'Харкова' (Snowball has no Ukrainian stemmer) and the
    Events pane said only 'No event matches this view'; it now offers харк* and where:Харків, each
    of which finds the Kharkiv reports."""
    from monitor.tui.widgets.cluster_list import ClusterList, stemless_hint

    assert stemless_hint("удар Харків") == "Cyrillic endings vary: try харк* or where:Харків (any spelling)"
    assert stemless_hint("харк*") == stemless_hint("where:Харків") == stemless_hint("kharkiv") == ""
    app = make_app(brief_db[0], offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Харків", "enter")
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        assert not clusters.ids
        assert "try харк* or where:Харків" in clusters.render_line(3).text
        for query in ("харк*", "where:Харків"):
            await pilot.press("slash", "ctrl+u", *query, "enter")
            await settle(pilot)
            assert brief_db[1].kharkiv in clusters.ids, query
            assert "try" not in clusters.render_line(3).text
