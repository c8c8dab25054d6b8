"""Helpers for clustering tests: store articles the way ingestion does, then assign them."""
from __future__ import annotations

import json
from itertools import count

import pytest

from monitor.cluster.assign import assign_pending
from monitor.cluster_settings import ClusterSettings
from monitor.models import Article
from monitor.store import write_transaction
from monitor.store.articles import content_hash, insert_article

LEXICAL = ClusterSettings(embedding="off")  # fast and independent of the optional extra
_urls = count(1)


def add_article(db, title: str, text: str = "", *, host: str = "example.com", at: str = "2026-11-20T10:00:00Z",
                origin: str = "feed") -> int:
    n = next(_urls)
    with write_transaction(db):
        article_id = insert_article(db, Article(
            origin=origin, title=title, text=text, content_hash=content_hash(title, f"{text}{n}"),
            url=f"https://{host}/story/{n}", source_host=host, published_at=at, fetched_at=at))
    assert article_id is not None
    return article_id


def cluster_of(db, article_id: int) -> int:
    return db.conn.execute("SELECT cluster_id FROM assignments WHERE article_id = ?", [article_id]).fetchone()[0]


def assignment(db, article_id: int) -> dict:
    cursor = db.conn.execute("SELECT * FROM assignments WHERE article_id = ?", [article_id])
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone()))
    row["terms"] = json.loads(row["terms"])
    return row


def cluster_row(db, cluster_id: int) -> dict:
    cursor = db.conn.execute("SELECT * FROM clusters WHERE id = ?", [cluster_id])
    return dict(zip([d[0] for d in cursor.description], cursor.fetchone()))


@pytest.fixture
def lexical() -> ClusterSettings:
    return LEXICAL


@pytest.fixture
def assign(db, lexical):
    return lambda settings=None: assign_pending(db, settings or lexical)
