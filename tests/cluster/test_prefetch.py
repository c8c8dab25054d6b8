"""With a backlog the next batch's features come from a worker process: same clusters, and a dead
worker costs only the speed-up."""
from __future__ import annotations

import os
import signal

from monitor.cluster import assign as assign_module
from monitor.cluster import prefetch
from monitor.cluster.assign import assign_pending
from monitor.cluster.evaluate import read_uci
from monitor.cluster.features import extract
from monitor.store import open_db
from tests.conftest import shared_path

from .conftest import LEXICAL, add_article


def _items(limit: int):
    return read_uci(shared_path("datasets", "uci-news-aggregator-prefix", "uci-news-aggregator.dev.csv"))[:limit]


def _rows(items):
    return [{"id": n, "title": item.text, "text": ""} for n, item in enumerate(items, 1)]


def test_worker_features_equal_local_ones():
    rows = _rows(_items(50))
    ahead = prefetch.Ahead(rows)
    assert ahead.future is not None
    assert ahead.result_for(rows) == [extract(r["title"], r["text"]) for r in rows]
    assert ahead.result_for(rows[1:]) is None  # other rows: computed where they are needed
    changed = [dict(rows[0], text="edited since")] + rows[1:]
    assert ahead.result_for(changed) is None


def test_a_dead_worker_means_local_features():
    """The worker killed while it computes: that batch is computed here, the next gets a new worker."""
    pool = prefetch._worker.pool()
    pool.submit(os.getpid).result()  # the worker is up
    long_rows = [{"id": n, "title": f"Headline {n}", "text": "word " * 20000} for n in range(200)]  # seconds of work
    ahead = prefetch.Ahead(long_rows)
    for pid in list(pool._processes):
        os.kill(pid, signal.SIGKILL)
    assert ahead.result_for(long_rows) is None
    rows = _rows(_items(20))
    again = prefetch.Ahead(rows)
    assert prefetch._worker.pool() is not pool
    assert again.result_for(rows) == [extract(r["title"], r["text"]) for r in rows]


def _cluster(path, items, *, prefetching: bool, monkeypatch):
    used = []
    original = prefetch.Ahead.result_for

    def spy(self, rows):
        found = original(self, rows)
        used.append(found is not None)
        return found

    monkeypatch.setattr(prefetch.Ahead, "result_for", spy)
    monkeypatch.setattr(assign_module, "MIN_AHEAD", 100 if prefetching else 10**9)
    db = open_db(path)
    for i, item in enumerate(items):
        add_article(db, item.text, host=f"h{i % 7}.example", at=item.at)
    assign_pending(db, LEXICAL)
    rows = db.conn.execute("SELECT article_id, cluster_id, dup_of, score, terms, reason FROM assignments "
                           "ORDER BY article_id").fetchall()
    db.close()
    return rows, used


def test_backlog_clusters_the_same_with_the_worker(tmp_path, monkeypatch):
    items = _items(1300)  # three batches: two of them prepared ahead
    with_worker, used = _cluster(tmp_path / "a.db", items, prefetching=True, monkeypatch=monkeypatch)
    assert used and all(used)
    here, used_here = _cluster(tmp_path / "b.db", items, prefetching=False, monkeypatch=monkeypatch)
    assert not used_here
    assert with_worker == here
    assert len(with_worker) == 1300
