"""Article rows: insert once, find by URL, guid or content hash."""
from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from typing import Any, Iterable

from sqlite_utils import Database

from monitor.models import Article
from monitor.store.db import IN_LIST, as_list, dict_rows
from monitor.text.fold import fold
from monitor.timeutil import now_iso



def content_hash(title: str, text: str) -> str:
    """Hash of the folded, whitespace-collapsed text: the same content imported twice collides."""
    # split() and \s agree on what whitespace is (str.isspace); the join is ~5x faster than re.sub.
    # fold(title + "\n" + text) is fold(title) + "\n" + fold(text) (a line break composes with nothing
    # and ends every word): folded apart, the two are what the search entry's trigger folds next.
    body = " ".join(f"{fold(title)}\n{fold(text)}".split())
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_META_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def article_row(article: Article) -> dict[str, Any]:
    row = {name: getattr(article, name) for name in _ARTICLE_FIELDS}  # asdict() deep-copies: 3x slower
    row["meta"] = _META_JSON.encode(dict(article.meta))
    row["title_generated"] = int(article.title_generated)
    row["published_estimated"] = int(article.published_estimated)
    row["created_at"] = now_iso()
    return row


def insert_article(db: Database, article: Article) -> int | None:
    """Insert an article; None when its URL (or feed guid, or its text in the same feed) is already stored.

    Call inside write_transaction(): the row and its FTS entry land together or not at all.
    """
    if _feed_already_has(db, article):
        return None
    row = article_row(article)
    columns = ", ".join(row)
    marks = ", ".join(f":{k}" for k in row)
    cursor = db.conn.execute(f"INSERT OR IGNORE INTO articles ({columns}) VALUES ({marks})", row)
    return cursor.lastrowid if cursor.rowcount == 1 else None


def _feed_already_has(db: Database, article: Article) -> bool:
    """Whether a linkless item's feed already holds this very text: a feed that gives its items a
    new guid at every poll and no link must not store them again each time. Items with a link are
    known by their URL (the same text under two URLs of one feed stays two articles)."""
    if article.origin != "feed" or article.feed_id is None or article.url is not None:
        return False
    return db.conn.execute("SELECT 1 FROM articles WHERE content_hash = ? AND feed_id = ? LIMIT 1",
                           [article.content_hash, article.feed_id]).fetchone() is not None


def has_content_hash(db: Database, digest: str, origin: str | None = None) -> bool:
    sql = "SELECT 1 FROM articles WHERE content_hash = ?"
    params: list[Any] = [digest]
    if origin:
        sql += " AND origin = ?"
        params.append(origin)
    return db.conn.execute(sql + " LIMIT 1", params).fetchone() is not None


def known_urls_and_guids(db: Database, feed_id: int, urls: Iterable[str], guids: Iterable[str]) -> tuple[set[str], set[str]]:
    """Which of these URLs (any feed) and guids (this feed) are stored already."""
    found_urls = {r[0] for r in db.conn.execute(f"SELECT url FROM articles WHERE url IN {IN_LIST}", [as_list(urls)])}
    found_guids = {r[0] for r in db.conn.execute(
        f"SELECT guid FROM articles WHERE feed_id = ? AND guid IN {IN_LIST}", [feed_id, as_list(guids)])}
    return found_urls, found_guids


def get_article(db: Database, article_id: int) -> dict[str, Any] | None:
    cursor = db.conn.execute("SELECT * FROM articles WHERE id = ?", [article_id])
    rows = dict_rows(cursor)
    return rows[0] if rows else None
