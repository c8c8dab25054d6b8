"""Under the dashboard a long poll clusters what it has stored while it runs (live_every): the
analyst sees events before the slowest feed is done; the end result is the same as clustering once."""
from __future__ import annotations

import sqlite3

from monitor.ingest.poller import poll_once
from tests.ingest.conftest import make_config
from tests.support.newsroom import rss_feed


def _feeds(newsroom) -> list[tuple[str, str]]:
    quick = [{"title": f"Kharkiv strike {n}: rescuers search rubble after glide bombs hit Kharkiv",
              "link": f"https://quick.example/{n}", "guid": f"q{n}",
              "description": f"Glide bombs hit Kharkiv on Monday; rescuers search the rubble ({n})."} for n in range(4)]
    slow = [{"title": f"Slow page story {n} about Odesa port grain exports", "guid": f"s{n}",
             "link": newsroom.url(f"/fault/slow?seconds=0.6&n={n}"),
             "description": f"Odesa port grain exports resumed ({n})."} for n in range(6)]
    newsroom.put("/feeds/quick.xml", rss_feed("quick", quick))
    newsroom.put("/feeds/slow.xml", rss_feed("slow", slow))
    return [("quick", newsroom.url("/feeds/quick.xml")), ("slow", newsroom.url("/feeds/slow.xml"))]


def _assigned(db_path) -> int:
    conn = sqlite3.connect(db_path, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM assignments").fetchone()[0]
    except sqlite3.OperationalError:  # the poll has not created the tables yet
        return 0
    finally:
        conn.close()


def _poll_watching(db_path, config, live_every):
    """poll_once, noting how many articles were clustered when the slow feed finished."""
    seen: dict[str, int] = {}

    def progress(event):
        if event["kind"] == "feed" and event["name"] == "slow":
            seen["when_slow_done"] = _assigned(db_path)

    summary = poll_once(db_path, config, progress=progress, live_every=live_every)
    return summary, seen["when_slow_done"]


def test_a_long_poll_clusters_what_it_stored_while_it_runs(newsroom, db_path, tmp_path):
    config = make_config(_feeds(newsroom), fetch_pages=True, per_host=1, read_timeout=5)

    summary, clustered_mid_poll = _poll_watching(db_path, config, live_every=0.2)

    assert summary.new_articles == 10 and summary.failed == 0
    assert clustered_mid_poll >= 4  # the quick feed's four, before the slow feed's last page arrived
    assert _assigned(db_path) == 10

    once = tmp_path / "once.db"  # the same poll, clustered once at its end
    summary_once, clustered_mid_once = _poll_watching(once, config, live_every=None)
    assert clustered_mid_once == 0 and _assigned(once) == 10
    assert _partition(db_path) == _partition(once)


def _partition(db_path) -> set[frozenset[str]]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT a.guid, s.cluster_id FROM assignments s JOIN articles a ON a.id = s.article_id").fetchall()
    finally:
        conn.close()
    groups: dict[int, set[str]] = {}
    for guid, cluster in rows:
        groups.setdefault(cluster, set()).add(guid)
    return {frozenset(g) for g in groups.values()}
