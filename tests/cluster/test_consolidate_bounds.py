"""The consolidation's bounds (consolidate._mean_bound from the two sides' sums, _bound pair by pair,
and _mean_reaching's early stop on them): they turn a candidate away without reading all its pairs,
so they must never fall under what the pairs can reach, or a fusion would silently be lost.

Sides are the first UCI dev headlines (../shared), weighed by a real engine, in groups of 1 to 32
as the roster gives them; with embeddings, each headline gets a random unit vector (the bound reads
only cosines, so any vectors test it).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from monitor.cluster import consolidate
from monitor.cluster.assign import assign_pending
from monitor.cluster.engine import Engine
from monitor.cluster.evaluate import read_uci, store_items
from monitor.cluster.features import extract
from monitor.cluster.vectors import Doc, dot
from monitor.cluster_settings import ClusterSettings

from tests.conftest import shared_path

from .conftest import LEXICAL

UCI = ("datasets", "uci-news-aggregator-prefix", "uci-news-aggregator.dev.csv")


def _docs(engine: Engine, count: int, embeddings: bool) -> list[Doc]:
    rng = np.random.default_rng(12)
    features = [extract(item.text, "") for item in read_uci(shared_path(*UCI))[:count]]
    for f in features:
        engine.count(f)
    docs = []
    for n, f in enumerate(features):
        emb = rng.normal(size=16).astype(np.float32) if embeddings else None
        docs.append(engine.prepare(n + 1, "event", 0.0, f, emb, counted=True))
    return docs


def _pairs_mean(engine: Engine, mine: list[Doc], theirs: list[Doc]) -> float:
    """What _bound bounds, pair by pair in float64: the log-odds of each pair's cosines with every
    other feature at its most."""
    w = engine.model.weights
    base = engine.ceiling(0.0, 0.0)
    total = 0.0
    for a in mine:
        for b in theirs:
            z = base + w.get("terms", 0.0) * dot(a.vec, b.vec)
            if all(d.emb is not None for d in mine + theirs):
                ea, eb = a.emb.astype(np.float64), b.emb.astype(np.float64)
                z += w.get("embedding", 0.0) * float(ea @ eb / (np.linalg.norm(ea) * np.linalg.norm(eb)))
            else:
                z += w.get("no_embedding", 0.0)
            total += 1.0 / (1.0 + math.exp(-z))
    return total / (len(mine) * len(theirs))


@pytest.mark.parametrize("settings, embeddings", [(LEXICAL, False), (ClusterSettings(), True)])
def test_the_sums_bound_is_never_under_the_pairs(settings, embeddings):
    engine = Engine(settings, text_of=lambda _: "", use_embeddings=embeddings)
    docs = _docs(engine, 1200, embeddings)
    rng = np.random.default_rng(7)
    reached = 0
    for _ in range(300):
        sizes = rng.integers(1, consolidate.KEPT + 1, size=2)
        picked = rng.choice(len(docs), size=int(sizes.sum()), replace=False)
        # Half of the sides drawn among neighbours in the file (UCI's stories come in runs), so
        # some pairs come close to the bar and over it.
        if rng.random() < 0.5:
            start = int(rng.integers(0, len(docs) - sizes.sum()))
            picked = np.arange(start, start + sizes.sum())
        mine, theirs = [docs[i] for i in picked[:sizes[0]]], [docs[i] for i in picked[sizes[0]:]]
        pairs = _pairs_mean(engine, mine, theirs)
        bound = consolidate._mean_bound(engine, consolidate._Sums.of(mine), consolidate._Sums.of(theirs))
        assert bound >= pairs - 1e-12
        assert float(np.mean(consolidate._bound(engine, mine, theirs, set().union(*(d.vec for d in mine))))) \
            == pytest.approx(pairs, abs=1e-5)
        reached += pairs >= consolidate.BAR
    assert reached  # sides at the bar were drawn: the bound was tested where it matters


@pytest.mark.parametrize("settings, embeddings", [(LEXICAL, False), (ClusterSettings(), True)])
def test_the_pairs_stop_early_only_where_the_bar_is_out_of_reach(settings, embeddings):
    """_mean_reaching against the full mean of every pair's probability: the same mean wherever the
    full one reaches the bar (and wherever it does not stop), None only where it cannot."""
    from monitor.cluster import split

    engine = Engine(settings, text_of=lambda _: "", use_embeddings=embeddings)
    docs = _docs(engine, 1200, embeddings)
    score = split.pair_scorer(engine.model, engine.name_weight, engine.settings.window_hours)
    rng = np.random.default_rng(11)
    stopped = reached = 0
    for _ in range(300):
        sizes = rng.integers(1, consolidate.KEPT + 1, size=2)
        start = int(rng.integers(0, len(docs) - sizes.sum()))  # neighbours in the file: near the bar
        mine, theirs = docs[start:start + sizes[0]], docs[start + sizes[0]:start + sizes.sum()]
        ceilings = consolidate._bound(engine, mine, theirs, set().union(*(d.vec for d in mine)))
        members, others = [consolidate._member(d) for d in mine], [consolidate._member(d) for d in theirs]
        full = float(np.mean([score(a, b) for a in members for b in others]))
        for bar in (consolidate.BAR, 0.20, 0.5):
            found = consolidate._mean_reaching(score, members, others, ceilings, bar)
            if found is None:
                stopped += 1
                assert full < bar
            else:
                assert found == full
            reached += full >= bar
    assert stopped and reached  # both cases met: the test reads where it matters


@pytest.mark.parametrize("lo, hi", [(-5.0, 20.0), (-13.0, 18.0), (-1.0, 3.0), (0.5, 4.0), (-30.0, -25.0)])
def test_the_line_lies_above_the_sigmoid(lo, hi):
    start, rise = consolidate._line(lo, hi)
    z = np.linspace(lo, hi, 200_001)
    assert np.all(start + rise * (z - lo) >= 1.0 / (1.0 + np.exp(-z)) - 1e-15)


def test_consolidation_is_the_same_with_the_sums_bound_as_without(db, tmp_path, monkeypatch):
    """The first 1,000 UCI dev headlines through the real pipeline (TF-IDF, as the benchmark): every
    assignment and every fusion the same when the sums' bound turns nothing away and every pair of
    a candidate is scored."""
    from monitor.store import open_db

    items = read_uci(shared_path(*UCI))[:1000]

    def run(path) -> list[tuple]:
        other = open_db(path)
        store_items(other, items)
        assign_pending(other, LEXICAL)
        rows = other.conn.execute("SELECT article_id, cluster_id, dup_of, score, reason FROM assignments "
                                  "ORDER BY article_id").fetchall()
        other.close()
        return rows

    with_bound = run(tmp_path / "with.db")
    monkeypatch.setattr(consolidate, "_mean_bound", lambda *_: 1.0)
    monkeypatch.setattr(consolidate, "_mean_reaching",  # every pair scored, as before the early stop
                        lambda score, mine, theirs, ceilings, bar: float(np.mean([score(a, b) for a in mine
                                                                                  for b in theirs])))
    without = run(tmp_path / "without.db")
    assert any("merged: mean p" in r[4] for r in with_bound)
    assert with_bound == without
