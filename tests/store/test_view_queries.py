"""The search syntax as a filter of the event list (the dashboard's `/` and `monitor export --query`),
with the saved views' filters: an event is in when one of its articles matches, and out when any of its
articles holds a word the query leaves out."""
from __future__ import annotations

import pytest

from monitor.config import FeedConfig
from monitor.models import Article
from monitor.store import views, write_transaction
from monitor.store.articles import content_hash, insert_article
from monitor.store.clusters import create_cluster, refresh_aggregates, save_assignments
from monitor.store.feeds import sync_feeds
from monitor.store.saved_views import SavedView, SavedViewError, get_saved_view, save_view, view_filter
from monitor.text.search_query import QuerySyntaxError

EVENTS = {
    "kharkiv": [("Glide bombs hit Kharkiv", "ukraine"), ("Kharkiv under glide bomb attack", "world")],
    "kursk": [("Glide bombs in the Kursk region", "ukraine"), ("Strikes near Sudzha overnight", "world")],
    "grain": [("Grain prices fall", "world")],
}


@pytest.fixture
def events(db):
    sync_feeds(db, [FeedConfig("Kyiv desk", "http://127.0.0.1:9/k.xml", ("ukraine",)),
                    FeedConfig("World desk", "http://127.0.0.1:9/w.xml", ("world",))])
    feeds = {tag: db.conn.execute("SELECT id FROM feeds WHERE tags LIKE ?", [f'%"{tag}"%']).fetchone()[0]
             for tag in ("ukraine", "world")}
    ids = {}
    with write_transaction(db):
        for name, members in EVENTS.items():
            cluster = create_cluster(db, None, "event")
            articles = [insert_article(db, Article(origin="feed", title=title, text=title, feed_id=feeds[tag],
                                                   content_hash=content_hash(title, name),
                                                   published_at="2026-11-21T12:00:00Z"))
                        for title, tag in members]
            save_assignments(db, [(a, cluster, None, 0.9, None, "[]", "test") for a in articles])
            ids[name] = cluster
        refresh_aggregates(db, ids.values())
    return ids


def shown(db, events, **filters) -> set[str]:
    by_id = {v: k for k, v in events.items()}
    return {by_id[i] for i in views.cluster_ids(db, views.ClusterFilter(**filters))}


def test_query_filters_events(db, events):
    assert shown(db, events, query="glide bomb") == {"kharkiv", "kursk"}
    # "Strikes near Sudzha" does not say Kursk, but its event does: -kursk hides the whole event.
    assert shown(db, events, query="-kursk") == {"kharkiv", "grain"}
    assert shown(db, events, query="glide bomb -kursk") == {"kharkiv"}
    assert shown(db, events, query="sudzha OR grain") == {"kursk", "grain"}
    assert shown(db, events, query='title:"glide bombs"') == {"kharkiv", "kursk"}
    with pytest.raises(QuerySyntaxError):
        views.cluster_ids(db, views.ClusterFilter(query="glide OR"))


def test_feed_tag_filter(db, events):
    assert shown(db, events, feed_tag="ukraine") == {"kharkiv", "kursk"}
    assert shown(db, events, feed_tag="UKRAINE", query="-kursk") == {"kharkiv"}
    assert shown(db, events, feed_tag="world") == {"kharkiv", "kursk", "grain"}


def test_saved_views_keep_their_filters_and_relative_window(db, events):
    saved = save_view(db, SavedView("  Glide,  no Kursk ", "glide bomb -kursk", "all", feed_tag="ukraine", since="7d"))
    assert saved.name == "Glide, no Kursk"
    view = get_saved_view(db, "glide, NO kursk")
    assert view == saved
    flt = view_filter(view)
    assert flt.query == "glide bomb -kursk" and flt.feed_tag == "ukraine" and flt.state == "all"
    assert flt.since is not None and flt.since.endswith("Z")
    save_view(db, SavedView("Glide, no Kursk", "kursk"))  # the same name replaces it
    assert get_saved_view(db, "Glide, no Kursk").query == "kursk"
    for bad in (SavedView(" "), SavedView("x", state="maybe"), SavedView("x", since="last week")):
        with pytest.raises(SavedViewError):
            save_view(db, bad)
    with pytest.raises(QuerySyntaxError):
        save_view(db, SavedView("x", query='"open'))
