"""Counts: one rule each, for `monitor stats` and the dashboard's status line alike.

An event cluster is alive (not merged away), not empty and of kind 'event': the clusterer keeps
corpus documents in clusters of kind 'corpus', which are reference material, not events.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

# The rule as WHERE clauses on `clusters c`, for the cluster list and every count. The unary plus
# keeps the planner off the (kind, last_seen) index: without statistics it takes an equality on it
# as cheaper than walking a clusters_view_* index already in display order.
EVENT_CLUSTER = ("c.merged_into IS NULL", "c.size > 0", "+c.kind = 'event'")
# A failing feed: polled (enabled) and its last poll failed (monitor.ingest.health says the same of a row).
FAILING_FEED = "enabled AND error_count > 0"


@dataclass(frozen=True)
class FeedCounts:
    feeds: int  # in feeds.toml (as `monitor feeds` lists them)
    enabled: int
    failing: int  # enabled, and the last poll failed
    removed: int = 0  # rows kept for their articles after their feed left feeds.toml


def _scalar(db: Database, sql: str, params: tuple = ()) -> Any:
    return db.conn.execute(sql, params).fetchone()[0]


def event_clusters(db: Database) -> int:
    return _scalar(db, f"SELECT count(*) FROM clusters c WHERE {' AND '.join(EVENT_CLUSTER)}")


def articles_by_origin(db: Database) -> dict[str, int]:
    """{'feed': n, 'corpus': m} (both always present)."""
    counts = dict(db.conn.execute("SELECT origin, count(*) FROM articles GROUP BY origin").fetchall())
    return {"feed": counts.get("feed", 0), "corpus": counts.get("corpus", 0), **counts}


def feed_counts(db: Database) -> FeedCounts:
    configured, enabled, failing, removed = db.conn.execute(
        f"SELECT count(*) FILTER (WHERE in_config), count(*) FILTER (WHERE enabled), "
        f"count(*) FILTER (WHERE {FAILING_FEED}), count(*) FILTER (WHERE NOT in_config) FROM feeds").fetchone()
    return FeedCounts(configured, enabled, failing, removed)


def last_poll(db: Database) -> str | None:
    return _scalar(db, "SELECT max(finished_at) FROM poll_runs")


def collect_stats(db: Database) -> dict[str, Any]:
    by_origin = articles_by_origin(db)
    feeds = feed_counts(db)
    extraction = dict(db.conn.execute(
        "SELECT extraction_status, count(*) FROM articles WHERE origin = 'feed' GROUP BY extraction_status").fetchall())
    return {
        "articles": sum(by_origin.values()),
        "feed_articles": by_origin["feed"],
        "corpus_documents": by_origin["corpus"],
        "feeds": feeds.feeds,
        "feeds_enabled": feeds.enabled,
        "feeds_failing": feeds.failing,
        "feeds_removed": feeds.removed,
        "clusters": event_clusters(db),
        "tags": _scalar(db, "SELECT count(*) FROM tags"),
        "notes": _scalar(db, "SELECT count(*) FROM notes"),
        "extraction": extraction,
        "last_poll": last_poll(db),
    }
