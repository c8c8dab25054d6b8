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


def test_a_share_lent_to_the_worker_is_not_computed_here(db):
    from concurrent.futures import Future

    from monitor.cluster import prefetch

    calls: list[list[str]] = []

    def counting(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return embed.encode(texts)

    texts = ["Floods force thousands from their homes", "Central bank raises rates", "Storm closes airports",
             "Parliament passes the budget"]
    cache = VectorCache(db, counting)
    cache.lend(texts[2:], prefetch.embed_there(texts[2:]))
    vectors, new = cache.vectors(texts)
    assert calls == [texts[:2]]  # the worker's share came from the worker
    assert [k for k, _ in new] == [key(t) for t in texts]
    assert np.allclose(np.stack(vectors), embed.encode(texts), atol=1e-5)

    # A share whose worker failed is computed here: nothing is lost but the speed-up.
    failed: Future = Future()
    failed.set_exception(RuntimeError("worker died"))
    cache = VectorCache(db, counting)
    cache.lend(["A headline the worker never embedded"], failed)
    vectors, _ = cache.vectors(["A headline the worker never embedded"])
    assert calls[-1] == ["A headline the worker never embedded"] and vectors[0].shape == (embed.DIMENSIONS,)


def test_a_backlogs_first_batch_is_split_with_the_worker_and_clusters_the_same(tmp_path, monkeypatch):
    from monitor.cluster import assign as assign_module
    from monitor.cluster.evaluate import read_uci
    from monitor.store import open_db
    from tests.conftest import shared_path

    items = read_uci(shared_path("datasets", "uci-news-aggregator-prefix", "uci-news-aggregator.dev.csv"))[:60]
    monkeypatch.setattr(assign_module, "BATCH", 25)
    monkeypatch.setattr(assign_module, "MIN_AHEAD", 10)
    lent: list[int] = []
    original = assign_module.embed_there

    def spy(texts: list[str]):
        lent.append(len(texts))
        return original(texts)

    def run(path, lend: bool):
        monkeypatch.setattr(assign_module, "embed_there", spy if lend else (lambda texts: None))
        database = open_db(path)
        for n, item in enumerate(items):
            _add(database, item.text, n)
        assign_pending(database, ClusterSettings(embedding="on"))
        rows = database.conn.execute("SELECT article_id, cluster_id, dup_of, score FROM assignments "
                                     "ORDER BY article_id").fetchall()
        database.close()
        return rows

    split = run(tmp_path / "a.db", lend=True)
    assert lent and lent[0] >= 10  # the first batch's share (60% of 25 new headlines)
    alone = run(tmp_path / "b.db", lend=False)
    assert len(split) == 60
    assert [r[:3] for r in split] == [r[:3] for r in alone]
    assert all(abs(a[3] - b[3]) < 1e-3 for a, b in zip(split, alone))
