"""Figure rows: written with their article, read per event (stale or missing ones read again in memory).

`figures_read` records the text (its content hash) and the rule version (text.figures.FIGURES_RULE)
an article's figures were read by; rows of an older rule are rewritten by cluster/rederive.py."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from functools import lru_cache

from sqlite_utils import Database

from monitor.text.figure_compare import Reported
from monitor.text.figures import FIGURES_RULE, Figure, extract_figures
from monitor.store.db import IN_LIST, as_list

_COLUMNS = tuple(f.name for f in fields(Figure))


@lru_cache(maxsize=2048)
def _read_again(title: str, text: str, language: str | None) -> tuple[Figure, ...]:
    """A stale article's figures, kept for the process: the event pane reads the same event's
    briefs on every move of the cursor, and nothing here is written back."""
    return tuple(extract_figures(title, text, language))


def insert_figures(db: Database, article_id: int, content_hash: str, figures: Sequence[Figure]) -> None:
    """Store an article's figures, read from the text of this content hash by the running rule
    (call inside a write transaction: the one that stores the article, or a rederive slice's)."""
    db.conn.execute("DELETE FROM figures WHERE article_id = ?", [article_id])
    db.conn.executemany(
        f"INSERT INTO figures (article_id, {', '.join(_COLUMNS)}) VALUES (?, {', '.join('?' * len(_COLUMNS))})",
        [(article_id, *(getattr(f, c) for c in _COLUMNS)) for f in figures])
    db.conn.execute("INSERT OR REPLACE INTO figures_read (article_id, content_hash, rule) VALUES (?, ?, ?)",
                    [article_id, content_hash, FIGURES_RULE.version])


def figures_of_articles(db: Database, article_ids: Sequence[int]) -> list[Reported]:
    """The figures of these articles, oldest article first. An article whose stored figures are
    missing or were read from an older text or by an older rule is read again here (in memory;
    nothing is written: the rederive slices store them)."""
    if not article_ids:
        return []
    ids = as_list(article_ids)
    articles = db.conn.execute(f"""
        SELECT a.id, coalesce(f.name, a.source_host, a.source_path, ''), coalesce(a.published_at, a.fetched_at),
               a.language, a.url, a.content_hash = r.content_hash AND r.rule = ?
        FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id LEFT JOIN figures_read r ON r.article_id = a.id
        WHERE a.id IN {IN_LIST}
        ORDER BY coalesce(a.published_at, a.fetched_at), a.id""", [FIGURES_RULE.version, ids]).fetchall()
    stored: dict[int, list[Figure]] = {}
    for row in db.conn.execute(f"SELECT article_id, {', '.join(_COLUMNS)} FROM figures "
                               f"WHERE article_id IN {IN_LIST} ORDER BY id", [ids]):
        stored.setdefault(row[0], []).append(Figure(*row[1:]))
    stale = [row[0] for row in articles if not row[5]]
    for article_id, title, text, language in db.conn.execute(
            f"SELECT id, title, text, language FROM articles WHERE id IN {IN_LIST}", [as_list(stale)]):
        stored[article_id] = list(_read_again(title or "", text or "", language))
    out: list[Reported] = []
    for article_id, source, published, language, url, _ in articles:
        out.extend(Reported(f, article_id, source, published, language, url) for f in stored.get(article_id, []))
    return out
