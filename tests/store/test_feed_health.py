"""Feed health (`monitor feeds`, the dashboard's H) reads the articles once, not once per feed (#10:
120 s at 2,000 feeds / 100k articles). `make bench` (bench_hostile) times it at that size."""
from __future__ import annotations

import sqlite3

from monitor.config import FeedConfig
from monitor.store.db import write_transaction
from monitor.store.feeds import list_feeds, sync_feeds


def _seed(db, feeds: int, per_feed: int) -> None:
    sync_feeds(db, [FeedConfig(f"feed {n}", f"http://127.0.0.1:9/{n}.xml") for n in range(feeds)])
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO articles (origin, title, text, content_hash, url, feed_id, extraction_status, "
            "extraction_error, created_at) VALUES ('feed', 't', 'x', ?, ?, ?, 'page', ?, '2026-11-26T00:00:00Z')",
            [(f"h{f}-{a}", f"http://127.0.0.1:9/{f}/{a}", f + 1, "page: HTTP 404" if a % 3 == 0 else None)
             for f in range(feeds) for a in range(per_feed * (f % 3))])


def test_counts_per_feed_are_right(db):
    _seed(db, 6, 4)
    counts = {r["name"]: (r["articles"], r["extraction_failures"]) for r in list_feeds(db)}
    assert counts == {"feed 0": (0, 0), "feed 1": (4, 2), "feed 2": (8, 3), "feed 3": (0, 0), "feed 4": (4, 2),
                      "feed 5": (8, 3)}


def test_the_query_reads_the_articles_once_not_once_per_feed(db, monkeypatch):
    _seed(db, 3, 2)
    plans: list[str] = []
    real_execute = sqlite3.Connection.execute

    class Spy:
        """The feed-health statement's plan, as SQLite would run it."""

        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, *args):
            if "FROM feeds f" in sql:
                plans.extend(row[3] for row in real_execute(self.conn, "EXPLAIN QUERY PLAN " + sql, *args))
            return real_execute(self.conn, sql, *args)

        def __getattr__(self, name):
            return getattr(self.conn, name)

    monkeypatch.setattr(db, "conn", Spy(db.conn))
    list_feeds(db)
    assert plans, "list_feeds ran no feed-health statement"
    assert not [p for p in plans if "CORRELATED" in p], plans  # a subquery per feed row reads every article
    assert sum("articles" in p for p in plans) == 1, plans
