"""Sentence vectors are cached by content hash in SQLite: a republished headline is not embedded twice."""
from __future__ import annotations

import numpy as np

from monitor.cluster import embed
from monitor.cluster.assign import assign_pending
from monitor.cluster.embed_cache import VectorCache, key
from monitor.cluster_settings import ClusterSettings
from monitor.models import Article
from monitor.store import write_transaction
from monitor.store.articles import content_hash, insert_article
from monitor.store.embeddings import cached_vectors

HEADLINE = "Floods force thousands from their homes in northern Italy"


def _add(db, title: str, n: int) -> None:
    with write_transaction(db):
        insert_article(db, Article(origin="feed", title=title, text="", url=f"https://e.example/{n}",
                                   content_hash=content_hash(title, str(n)), published_at=None, fetched_at=None))


def _refuse(texts: list[str]) -> np.ndarray:
    raise AssertionError(f"embedded again: {texts}")


def test_a_republished_headline_is_not_embedded_again(db):
    settings = ClusterSettings(embedding="on")
    _add(db, HEADLINE, 1)
    _add(db, "Central bank raises rates by a quarter point", 2)
    assign_pending(db, settings)
    stored = cached_vectors(db, [key(HEADLINE)])
    assert list(stored) == [key(HEADLINE)]
    vector = np.frombuffer(stored[key(HEADLINE)], dtype=np.float32)
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-5)

    # A later run (another process, another day) finds it in the database and computes nothing.
    cache = VectorCache(db, _refuse)
    assert cache.missing([HEADLINE]) == []
    vectors, new = cache.vectors([HEADLINE, HEADLINE])
    assert new == [] and all(np.array_equal(v, vector) for v in vectors)

    # The republished article is clustered with the stored vector: still one row per headline.
    _add(db, HEADLINE, 3)
    assign_pending(db, settings)
    assert db.conn.execute("SELECT count(*) FROM embedding_cache").fetchone()[0] == 2
    emb = db.conn.execute("SELECT emb FROM cluster_vectors v JOIN articles a ON a.id = v.article_id "
                          "WHERE a.url = 'https://e.example/3'").fetchone()[0]
    assert np.array_equal(np.frombuffer(emb, dtype=np.float32), vector)


def test_a_new_text_is_computed_once_and_offered_for_storing_once(db):
    calls: list[list[str]] = []

    def counting(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return embed.encode(texts)

    cache = VectorCache(db, counting)
    first, new = cache.vectors(["a headline", "another headline", "a headline"])
    assert calls == [["a headline", "another headline"]]
    assert [k for k, _ in new] == [key("a headline"), key("another headline")]
    again, new_again = cache.vectors(["a headline"])
    assert calls == [["a headline", "another headline"]] and new_again == []
    assert np.array_equal(again[0], first[0])
