"""Full-text search over folded titles and texts (FTS5, bm25-ranked, titles weigh more)."""
from __future__ import annotations

import re
from typing import Any

from sqlite_utils import Database

from monitor.store.db import dict_rows
from monitor.text.fold import fold

_TOKEN = re.compile(r"\w+")
TITLE_WEIGHT = 5.0


def fts_query(query: str) -> str:
    """Turn what an analyst typed into a safe FTS5 query: every word must match, as a prefix
    when it ends with '*'. Operators and quotes in the input are treated as plain words."""
    terms = []
    for raw in query.split():
        prefix = raw.endswith("*")
        for token in _TOKEN.findall(fold(raw)):
            terms.append(f'"{token}"' + ("*" if prefix else ""))
    return " ".join(terms)


def search_articles(db: Database, query: str, *, limit: int = 20, origin: str | None = None) -> list[dict[str, Any]]:
    """Best matches first; each row has id, title, origin, url, published_at, score, snippet."""
    match = fts_query(query)
    if not match:
        return []
    sql = f"""
        SELECT a.id, a.title, a.origin, a.url, a.source_host, a.source_path, a.published_at,
               -bm25(articles_fts, {TITLE_WEIGHT}, 1.0) AS score,
               substr(a.text, 1, 200) AS snippet
        FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
        WHERE articles_fts MATCH ?
    """
    params: list[Any] = [match]
    if origin:
        sql += " AND a.origin = ?"
        params.append(origin)
    sql += " ORDER BY bm25(articles_fts, ?, 1.0), a.id LIMIT ?"
    params += [TITLE_WEIGHT, limit]
    return dict_rows(db.conn.execute(sql, params))
