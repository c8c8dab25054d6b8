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
    shares = prefetch.embed_there(texts[2:])
    assert shares and all(future.result()[1] is not None for _, future in shares)  # done: none to take back
    cache.lend(shares)
    vectors, new = cache.vectors(texts)
    assert calls == [texts[:2]]  # the worker's share came from the worker
    assert [k for k, _ in new] == [key(t) for t in texts]
    assert np.array_equal(np.stack(vectors), embed.encode(texts))

    # A share whose worker failed is computed here: nothing is lost but the speed-up.
    failed: Future = Future()
    failed.set_exception(RuntimeError("worker died"))
    cache = VectorCache(db, counting)
    cache.lend([(["A headline the worker never embedded"], failed)])
    vectors, _ = cache.vectors(["A headline the worker never embedded"])
    assert calls[-1] == ["A headline the worker never embedded"] and vectors[0].shape == (embed.DIMENSIONS,)


def test_a_backlogs_next_batches_are_lent_to_the_worker_and_cluster_the_same(tmp_path, monkeypatch):
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
        monkeypatch.setattr(assign_module, "embed_there", spy if lend else (lambda texts: []))
        database = open_db(path)
        for n, item in enumerate(items):
            _add(database, item.text, n)
        assign_pending(database, ClusterSettings(embedding="on"))
        rows = database.conn.execute("SELECT article_id, cluster_id, dup_of, score FROM assignments "
                                     "ORDER BY article_id").fetchall()
        vectors = database.conn.execute("SELECT key, vec FROM embedding_cache ORDER BY key").fetchall()
        database.close()
        return rows, vectors

    split, split_vectors = run(tmp_path / "a.db", lend=True)
    assert lent and lent[0] >= 10  # the second batch's new headlines (the first is embedded here)
    alone, alone_vectors = run(tmp_path / "b.db", lend=False)
    assert len(split) == 60 and len(split_vectors) > 50
    assert split == alone and split_vectors == alone_vectors  # bit for bit, wherever each was embedded


def test_chunks_the_worker_has_not_begun_are_taken_back_and_begun_ones_waited_for(db):
    """When a batch needs its vectors, lent chunks still queued are cancelled and embedded here (no
    wait), one the worker has begun is waited for, chunks of the next batch are left to the worker.
    With the next batch's chunks queued behind them they are taken back at once; with nothing
    behind them (the last batch) one at a time, the last first, while the worker goes on."""
    from concurrent.futures import Future

    begun_texts = ["Storm closes airports", "Parliament passes the budget"]
    texts = ["Central bank raises rates", "Floods force thousands from their homes", *begun_texts,
             "Wildfire reaches the suburbs"]
    calls: list[list[str]] = []

    def counting(batch: list[str]) -> np.ndarray:
        calls.append(list(batch))
        return embed.encode(batch)

    for next_batch in (True, False):
        calls.clear()

        queued, queued_last, begun, later = Future(), Future(), Future(), Future()
        begun.set_running_or_notify_cancel()
        begun.set_result(([], embed.encode(begun_texts)))
        cache = VectorCache(db, counting)
        cache.lend([(begun_texts, begun), (["Floods force thousands from their homes"], queued),
                    (["Wildfire reaches the suburbs"], queued_last)])
        if next_batch:
            cache.lend([(["A headline of the next batch"], later)])
        vectors, _ = cache.vectors(texts)
        taken = [["Floods force thousands from their homes", "Wildfire reaches the suburbs"]] if next_batch else \
            [["Wildfire reaches the suburbs"], ["Floods force thousands from their homes"]]
        assert calls == [["Central bank raises rates"], *taken]
        assert queued.cancelled() and queued_last.cancelled() and not later.cancelled()
        assert [t for t, _ in cache.lent] == ([["A headline of the next batch"]] if next_batch else [])
        assert np.array_equal(np.stack(vectors), embed.encode(texts))


def test_a_vector_does_not_depend_on_the_texts_embedded_with_it():
    """The rule that lets a batch's texts be embedded anywhere, in any chunks: bit for bit the same."""
    texts = ["Floods force thousands from their homes in northern Italy", "Central bank raises rates",
             "Storm closes airports across the north east as snow piles up overnight", "Budget passes",
             "A much longer headline about the parliament passing the budget after a night of talks"]
    together = embed.encode(texts)
    assert np.array_equal(together, np.concatenate([embed.encode([t]) for t in texts]))
    assert np.array_equal(together[::-1], embed.encode(texts[::-1]))
    assert np.array_equal(together[1:3], embed.encode(texts[1:3]))


def test_a_batch_keeps_the_vectors_it_reuses_while_its_new_ones_are_added(db, monkeypatch):
    """A backlog that repeats a headline more than KEPT texts later: the old headline's vector sat
    among the oldest in memory, this batch's new vectors evicted it, and reading it raised KeyError
    (found by the tui benchmark's 100k replayed Google News titles)."""
    from monitor.cluster import embed_cache

    monkeypatch.setattr(embed_cache, "KEPT", 3)

    def unit(texts: list[str]) -> np.ndarray:
        return np.eye(len(texts), embed.DIMENSIONS, dtype=np.float32)

    cache = VectorCache(db, unit)
    cache.vectors(["old", "b", "c"])
    vectors, new = cache.vectors(["old", "d", "e", "f"])  # "old" known, three new texts pass KEPT
    assert len(vectors) == 4 and [k for k, _ in new] == [key("d"), key("e"), key("f")]
    assert "old" in cache.known and len(cache.known) <= 4
