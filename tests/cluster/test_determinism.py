"""Same input, same clusters: across fresh databases, and whether the engine was cached or rebuilt."""
from __future__ import annotations

from monitor.cluster import state
from monitor.cluster.assign import assign_pending
from monitor.cluster.evaluate import read_uci
from monitor.store import open_db
from tests.conftest import shared_path

from .conftest import LEXICAL, add_article


def _headlines(limit: int = 400):
    items = read_uci(shared_path("datasets", "uci-news-aggregator-prefix", "uci-news-aggregator.dev.csv"))
    return items[:limit]


def _run(path, items, *, rebuild_every: int | None = None):
    db = open_db(path)
    for i, item in enumerate(items):
        add_article(db, item.text, "", host=f"h{i % 7}.example", at=item.at)
        if rebuild_every and (i + 1) % rebuild_every == 0:
            assign_pending(db, LEXICAL)
            state._cache.clear()  # as if the next call came from another process
    assign_pending(db, LEXICAL)
    rows = db.conn.execute("SELECT article_id, cluster_id, dup_of, score, terms, reason FROM assignments "
                           "ORDER BY article_id").fetchall()
    db.close()
    return rows


def test_same_input_same_clusters(tmp_path):
    items = _headlines()
    first = _run(tmp_path / "a.db", items)
    second = _run(tmp_path / "b.db", items)
    assert first == second
    assert len({row[1] for row in first}) > 10


def test_rebuilt_engine_decides_like_the_cached_one(tmp_path):
    """Assigning in steps, with the engine rebuilt from SQLite between them, partitions the
    articles exactly as steps on a kept engine do (the batches are the same)."""
    items = _headlines(300)
    db = open_db(tmp_path / "cached.db")
    for i, item in enumerate(items):
        add_article(db, item.text, "", host=f"h{i % 7}.example", at=item.at)
        if (i + 1) % 50 == 0:
            assign_pending(db, LEXICAL)
    cached = db.conn.execute("SELECT article_id, cluster_id FROM assignments ORDER BY article_id").fetchall()
    db.close()
    rebuilt = [(r[0], r[1]) for r in _run(tmp_path / "rebuilt.db", items, rebuild_every=50)]
    assert cached == rebuilt
