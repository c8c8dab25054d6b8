"""where: and who: in the search syntax: the event list, search and export filtered by the places and
names the event-identity features stored for each article, in any spelling of the place.

The events are stored the way ingestion stores them (tests/support/brief_events.py: the Kharkiv
strike in English and Ukrainian, the corpus's two Kursk documents as feed articles), clustered by
assign_pending, which reads and stores each article's places and names."""
from __future__ import annotations

import pytest

from monitor.cluster.place_lookup import place_ids
from monitor.store import open_db, views
from monitor.store.identity_filter import use_place_resolver
from monitor.store.search import search_articles
from monitor.text.search_query import Mention, QuerySyntaxError, Term, parse_query
from tests.support.brief_events import build_brief_events


@pytest.fixture
def events(db_path):
    db = open_db(db_path)
    found = build_brief_events(db)
    use_place_resolver(place_ids)
    yield db, found
    use_place_resolver(None)
    db.close()


def shown(db, query: str) -> set[int]:
    return set(views.cluster_ids(db, views.ClusterFilter(query=query)))


def test_the_parse_tree_keeps_where_and_who_apart_from_the_words():
    query = parse_query('strike where:"Kharkiv" -who:Putin')
    assert query.find == Term(("strike",), typed="strike")
    assert query.mentions == (Mention("where", "Kharkiv", 'where:Kharkiv'),)
    assert query.excluded_mentions == (Mention("who", "Putin", "who:Putin"),)
    assert parse_query("where:Kursk").find is None and query.words == ("strike",)
    assert parse_query('where:"New York"').mentions == (Mention("where", "New York", "where:New York"),)


@pytest.mark.parametrize("query, message", [
    ("kursk OR where:Kharkiv", "not inside OR or ( )"),
    ("(glide where:Kharkiv) OR kursk", "not inside OR or ( )"),
    ("where:", "where: at column 1 needs a word"),
    ("who:--", "who: at column 1 needs a place or a name"),
])
def test_misplaced_where_and_who_are_one_line_errors(query, message):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_watch_rules_refuse_where_and_who():
    with pytest.raises(QuerySyntaxError, match="not watch rules"):
        parse_query("glide where:Kharkiv", mentions=False)
    assert parse_query("glide -kursk", mentions=False).find == Term(("glide",), typed="glide")


def test_where_finds_the_event_in_any_spelling_of_the_place(events):
    db, ids = events
    for spelling in ("where:Kharkiv", "where:kharkiv", "where:Kharkov", "where:Харків", "where:Харьков"):
        assert shown(db, spelling) == {ids.kharkiv}, spelling
    assert shown(db, "where:Kursk") == {ids.kursk}
    assert shown(db, "-where:Kharkiv") == {ids.kursk}
    assert shown(db, "where:Kharkiv where:Kursk") == set()
    assert shown(db, "where:Lisbon") == set()
    assert shown(db, "rubble where:Kharkiv") == {ids.kharkiv}
    assert shown(db, "rubble where:Kursk") == set()  # the Kursk event's articles never say rubble


def test_without_the_gazetteer_a_place_is_matched_by_its_stored_name(events):
    db, ids = events
    use_place_resolver(None)
    assert shown(db, "where:KHARKIV") == {ids.kharkiv}
    assert shown(db, "where:Kharkov") == set()


def test_who_finds_the_event_naming_the_name(events):
    db, ids = events
    assert shown(db, "who:Syniehubov") == {ids.kharkiv}
    assert shown(db, "-who:Syniehubov") == {ids.kursk}
    assert shown(db, "who:Zelenskyy") == shown(db, "who:zelensky") == {ids.kursk}  # one matching key
    assert shown(db, "where:Ukraine") == {ids.kursk}  # a country is a place too


def test_search_lists_the_articles_naming_the_place(events):
    db, ids = events
    rows = search_articles(db, "where:Kharkov", limit=50)
    members = {r[0] for r in db.conn.execute("SELECT article_id FROM assignments WHERE cluster_id = ?", [ids.kharkiv])}
    assert rows and {r["id"] for r in rows} <= members
    assert [r["published_at"] for r in rows] == sorted((r["published_at"] for r in rows), reverse=True)
    assert {r["id"] for r in search_articles(db, "strike where:Kharkiv", limit=50)} <= {r["id"] for r in rows}
