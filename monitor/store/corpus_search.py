"""Corpus documents matching a search, for the dashboard's Corpus pane (the same syntax and
ranking as every search: store/search.py)."""
from __future__ import annotations

from sqlite_utils import Database

from monitor.store.search import search_articles
from monitor.store.views import CorpusRow


def corpus_matching(db: Database, query: str, limit: int = 200) -> list[CorpusRow]:
    """Best matches first (QuerySyntaxError for a malformed query)."""
    return [CorpusRow(r["id"], r["title"] or "", r["source_host"] or r["source_path"] or "", r["published_at"])
            for r in search_articles(db, query, limit=limit, origin="corpus")]
