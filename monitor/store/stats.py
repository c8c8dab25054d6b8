"""Counts for `monitor stats` and the dashboard's status line."""
from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def _scalar(db: Database, sql: str, params: tuple = ()) -> Any:
    return db.conn.execute(sql, params).fetchone()[0]


def collect_stats(db: Database) -> dict[str, Any]:
    by_origin = dict(db.conn.execute("SELECT origin, count(*) FROM articles GROUP BY origin").fetchall())
    extraction = dict(db.conn.execute(
        "SELECT extraction_status, count(*) FROM articles WHERE origin = 'feed' GROUP BY extraction_status").fetchall())
    return {
        "articles": sum(by_origin.values()),
        "feed_articles": by_origin.get("feed", 0),
        "corpus_documents": by_origin.get("corpus", 0),
        "feeds": _scalar(db, "SELECT count(*) FROM feeds"),
        "feeds_enabled": _scalar(db, "SELECT count(*) FROM feeds WHERE enabled"),
        "feeds_failing": _scalar(db, "SELECT count(*) FROM feeds WHERE enabled AND error_count > 0"),
        "clusters": _scalar(db, "SELECT count(*) FROM clusters WHERE merged_into IS NULL AND size > 0"),
        "tags": _scalar(db, "SELECT count(*) FROM tags"),
        "notes": _scalar(db, "SELECT count(*) FROM notes"),
        "extraction": extraction,
        "last_poll": _scalar(db, "SELECT max(finished_at) FROM poll_runs"),
    }
