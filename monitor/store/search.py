"""Full-text search over stemmed titles and texts (FTS5, bm25-ranked, titles weigh more).

What the analyst types is parsed by monitor.text.search_query (one syntax for the CLI, the dashboard
and watch rules); this module turns the parsed tree into an FTS5 expression. The index holds
stem_text() of each title and text (see schema_search.py), so every stem is quoted and matched as is.
"""
from __future__ import annotations

from typing import Any, Sequence

from sqlite_utils import Database

from monitor.store.db import IN_LIST, as_list, dict_rows
from monitor.store.identity_filter import mention_clauses
from monitor.text.search_query import AllOf, AnyOf, Mention, Node, Phrase, SearchQuery, Term, parse_query

TITLE_WEIGHT = 5.0
_COLUMNS = {None: "", "title": "title : "}


def _quoted(stem: str) -> str:
    return '"' + stem.replace('"', '""') + '"'


def _fts(node: Node) -> str:
    if isinstance(node, Term):
        # The parts of one typed word ("Kharkiv's") form a phrase; `*` marks its last stem a prefix.
        return _COLUMNS[node.field] + " + ".join(_quoted(s) for s in node.stems) + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return _COLUMNS[node.field] + " + ".join(_quoted(s) for s in node.stems)
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(_fts(p) for p in node.parts) + ")"
    if isinstance(node, Mention):  # the parser keeps where:/who: out of the text's tree
        raise ValueError(f"{node.typed} is matched against stored places and names, not the text index")
    expression = "(" + " AND ".join(_fts(p) for p in node.parts) + ")"
    for excluded in node.excluded:
        expression = f"({expression} NOT {_fts(excluded)})"
    return expression


def fts_match(query: SearchQuery) -> str | None:
    """The FTS5 expression of what must match (None when the query only excludes)."""
    if query.find is None:
        return None
    return _fts(AllOf((query.find,), query.excluded))


def fts_excluded(query: SearchQuery) -> str | None:
    """The FTS5 expression of what the query leaves out at its top level (None when nothing)."""
    if not query.excluded:
        return None
    return "(" + " OR ".join(_fts(n) for n in query.excluded) + ")"


_COLUMNS_SQL = """a.id, a.title, a.origin, a.url, a.source_host, a.source_path, a.published_at"""


def search_articles(db: Database, query: str | SearchQuery, *, limit: int = 20,
                    origin: str | None = None) -> list[dict[str, Any]]:
    """Best matches first; each row has id, title, origin, url, published_at, score, snippet.

    `query` is the text the analyst typed (QuerySyntaxError when malformed). A query that only
    excludes (`-kursk`), or only names places and names (`where:Kharkiv`), lists the articles it
    keeps, newest first, with score 0."""
    parsed = query if isinstance(query, SearchQuery) else parse_query(query)
    match, excluded = fts_match(parsed), fts_excluded(parsed)
    params: list[Any] = []
    if match is not None:
        sql = f"""
            SELECT {_COLUMNS_SQL}, -bm25(articles_fts, {TITLE_WEIGHT}, 1.0) AS score,
                   substr(a.text, 1, 200) AS snippet
            FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
            WHERE articles_fts MATCH ?"""
        params.append(match)
        order = f" ORDER BY bm25(articles_fts, {TITLE_WEIGHT}, 1.0), a.id"
    else:
        sql = f"""
            SELECT {_COLUMNS_SQL}, 0.0 AS score, substr(a.text, 1, 200) AS snippet FROM articles a WHERE 1"""
        if excluded is not None:
            sql += " AND a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
            params.append(excluded)
        order = " ORDER BY a.published_at DESC, a.id DESC"
    named, values = mention_clauses(parsed, "a.id")  # where:/who:
    for clause in named:
        sql += f" AND {clause}"
    params += values
    if origin:
        sql += " AND a.origin = ?"
        params.append(origin)
    sql += order + " LIMIT ?"
    params.append(limit)
    return dict_rows(db.conn.execute(sql, params))


def matching_ids(db: Database, query: SearchQuery, among: Sequence[int]) -> list[int]:
    """Which of these article ids match the query (for watch rules over a poll's new articles)."""
    if not among:
        return []
    ids = as_list(among)
    match, excluded = fts_match(query), fts_excluded(query)
    if match is not None:
        sql = f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN {IN_LIST} ORDER BY rowid"
        return [r[0] for r in db.conn.execute(sql, [match, ids])]
    sql = ("SELECT value FROM json_each(?) WHERE value NOT IN "
           "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) ORDER BY value")
    return [r[0] for r in db.conn.execute(sql, [ids, excluded])]
