"""Watch rules' hits: new feed articles matching a `[[watch]]` query, tagged, their events marked.

Each rule remembers the newest article id it has checked (watch_rules.checked_through), so a rule
watches from the poll that first saw it on, and no article is checked twice, whichever process
(cron or the dashboard) polled. Hits are written with their tags in one transaction.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Sequence

from sqlite_utils import Database

from monitor.config import WatchConfig
from monitor.store.db import IN_LIST, as_list, write_transaction
from monitor.store.search import matching_ids, search_articles
from monitor.text.search_query import parse_query
from monitor.timeutil import now_iso


@dataclass(frozen=True)
class WatchHit:
    """One article a rule matched, as `poll --json`, `monitor watch` and a rule's command see it."""

    rule: str
    article_id: int
    title: str
    url: str | None
    feed: str | None
    published_at: str | None
    cluster_id: int | None
    tag: str | None
    matched_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sync_watch_rules(db: Database, rules: Sequence[WatchConfig]) -> None:
    """Register rules first seen now: they check articles stored from now on, not the backlog."""
    if not rules:
        return
    with write_transaction(db):
        newest = db.conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        for rule in rules:
            db.conn.execute(
                "INSERT INTO watch_rules (name, query, checked_through, added_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET query = excluded.query",
                [rule.name, rule.query, newest, now_iso()])


def _tag_article(db: Database, article_id: int, tag: str) -> None:
    """The rule's tag on the article: an automatic mark, not a triage action (nothing to undo)."""
    db.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", [tag])
    db.conn.execute("INSERT OR IGNORE INTO article_tags (article_id, tag_id) "
                    "SELECT ?, id FROM tags WHERE name = ?", [article_id, tag])


def record_watch_hits(db: Database, rules: Sequence[WatchConfig], poll_run_id: int | None = None) -> list[WatchHit]:
    """Match every rule against the feed articles stored since it last looked; store and return the hits."""
    if not rules:
        return []
    sync_watch_rules(db, rules)
    found: list[int] = []
    with write_transaction(db):
        for rule in rules:
            checked = db.conn.execute("SELECT checked_through FROM watch_rules WHERE name = ?",
                                      [rule.name]).fetchone()[0]
            fresh = [r[0] for r in db.conn.execute(
                "SELECT id FROM articles WHERE id > ? AND origin = 'feed' ORDER BY id", [checked])]
            if not fresh:
                continue
            for article_id in matching_ids(db, parse_query(rule.query), fresh):
                cursor = db.conn.execute(
                    "INSERT OR IGNORE INTO watch_hits (rule, article_id, tag, matched_at, poll_run_id) "
                    "VALUES (?, ?, ?, ?, ?)", [rule.name, article_id, rule.tag, now_iso(), poll_run_id])
                if cursor.rowcount:
                    found.append(cursor.lastrowid)  # type: ignore[arg-type]
                if rule.tag:
                    _tag_article(db, article_id, rule.tag)
            db.conn.execute("UPDATE watch_rules SET checked_through = ? WHERE name = ?", [max(fresh), rule.name])
    return _hits(db, f"h.id IN {IN_LIST}", [as_list(found)], limit=len(found) or 1)


def _hits(db: Database, where: str, params: list[Any], limit: int) -> list[WatchHit]:
    cursor = db.conn.execute(f"""
        SELECT h.rule, h.article_id, a.title, a.url, f.name, a.published_at, s.cluster_id, h.tag, h.matched_at
        FROM watch_hits h JOIN articles a ON a.id = h.article_id
        LEFT JOIN feeds f ON f.id = a.feed_id LEFT JOIN assignments s ON s.article_id = h.article_id
        WHERE {where} ORDER BY h.id DESC LIMIT ?""", [*params, limit])
    return [WatchHit(*row) for row in cursor][::-1]


def recent_watch_hits(db: Database, rule: str | None = None, limit: int = 20) -> list[WatchHit]:
    """The newest hits (of one rule, or of all), oldest of them first."""
    if rule is None:
        return _hits(db, "1", [], limit)
    return _hits(db, "h.rule = ?", [rule], limit)


def watch_hit_counts(db: Database) -> dict[str, int]:
    """Hits per rule name, every rule that ever matched (rules since removed from feeds.toml too)."""
    return {r[0]: r[1] for r in db.conn.execute("SELECT rule, count(*) FROM watch_hits GROUP BY rule")}


def unseen_watch_hits(db: Database) -> int:
    """Hits the dashboard has not shown yet."""
    return db.conn.execute("SELECT count(*) FROM watch_hits WHERE seen = 0").fetchone()[0]


def mark_watch_hits_seen(db: Database) -> None:
    with write_transaction(db):
        db.conn.execute("UPDATE watch_hits SET seen = 1 WHERE seen = 0")


def watched_cluster_ids(db: Database) -> set[int]:
    """Events holding an article a rule matched (merged-away events resolve to where their members went)."""
    rows = db.conn.execute("""
        SELECT DISTINCT s.cluster_id FROM watch_hits h JOIN assignments s ON s.article_id = h.article_id
        JOIN clusters c ON c.id = s.cluster_id WHERE c.merged_into IS NULL""")
    return {r[0] for r in rows}


def try_watch_query(db: Database, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """What a rule's query finds among the stored feed articles (QuerySyntaxError when malformed)."""
    return search_articles(db, query, limit=limit, origin="feed")
