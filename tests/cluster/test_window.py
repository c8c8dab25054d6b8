"""Clusters just outside the window leave the term index ("cold") but a late article still finds them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from monitor.cluster import state
from monitor.cluster.assign import assign_pending
from monitor.cluster.evaluate import read_uci
from monitor.store import open_db
from tests.conftest import shared_path

from .conftest import LEXICAL, add_article, cluster_of

STORY = "Dam collapse near Kharkiv floods villages along the Siverskyi Donets river"
LATE = "Kharkiv dam collapse: Siverskyi Donets river floods villages"


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _run(path, *, rebuild_before_late: bool):
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    fillers = read_uci(shared_path("datasets", "uci-news-aggregator-prefix", "uci-news-aggregator.dev.csv"))[:300]
    db = open_db(path)
    story = add_article(db, STORY, at=_iso(start))
    for i, item in enumerate(fillers):  # three days on: the story's cluster is out of the window
        add_article(db, item.text, host=f"h{i % 7}.example", at=_iso(start + timedelta(days=3, hours=6, minutes=i)))
    assign_pending(db, LEXICAL)
    if rebuild_before_late:
        state._cache.clear()  # a rebuilt engine holds every cluster of twice the window in its index
    engine = state.cached_engine(db, LEXICAL, False, lambda _: "").engine
    was_cold = cluster_of(db, story) in engine.cold
    late = add_article(db, LATE, at=_iso(start + timedelta(days=1)))  # published a day after the story
    assign_pending(db, LEXICAL)
    placed = cluster_of(db, late) == cluster_of(db, story)
    rows = db.conn.execute("SELECT article_id, cluster_id FROM assignments ORDER BY article_id").fetchall()
    db.close()
    return was_cold, placed, rows


def test_late_article_joins_a_cold_cluster(tmp_path):
    was_cold, placed, rows = _run(tmp_path / "kept.db", rebuild_before_late=False)
    assert was_cold  # the path under test: the story's cluster had left the index
    assert placed


def test_cold_clusters_decide_like_a_rebuilt_index(tmp_path):
    kept = _run(tmp_path / "kept.db", rebuild_before_late=False)
    rebuilt = _run(tmp_path / "rebuilt.db", rebuild_before_late=True)
    assert not rebuilt[0] and rebuilt[1]
    assert kept[2] == rebuilt[2]
