"""scripts/fragment_pairs.py: it clusters as `monitor eval` does, keeps every final cluster (old ones
outside the window too), scores member pairs with the shipped model, and merges by union."""
from __future__ import annotations

import importlib.util
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from monitor.cluster.evaluate import Item, cluster_items
from monitor.cluster_settings import ClusterSettings
from monitor.timeutil import to_iso

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fragment_pairs.py"


def _script():
    spec = importlib.util.spec_from_file_location("fragment_pairs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fragment_pairs"] = module
    spec.loader.exec_module(module)
    return module


def _items() -> list[Item]:
    start = datetime(2026, 3, 1, 8, tzinfo=timezone.utc)
    at = lambda days, hours=0: to_iso(start + timedelta(days=days, hours=hours))  # noqa: E731
    return [
        Item("Glacier collapse buries alpine village of Blatten", "glacier", at(0)),
        Item("Alpine village of Blatten buried by glacier collapse", "glacier", at(0, 2)),
        Item("Blatten glacier collapse: village buried under ice and rock", "glacier", at(0, 5)),
        Item("Central bank raises interest rates to curb inflation", "rates", at(10)),
        Item("Interest rates raised by central bank as inflation persists", "rates", at(10, 3)),
        Item("Inflation pushes central bank to raise interest rates again", "rates", at(10, 6)),
    ]


def test_clusters_as_eval_and_keeps_clusters_outside_the_window() -> None:
    fp = _script()
    settings = ClusterSettings(embedding="off")
    items = _items()
    clustered = fp.cluster_set("t", items, settings)
    pred, _ = cluster_items(items, settings)
    assert clustered.pred == pred
    assert clustered.gold == [i.gold for i in items]
    # The glacier story ended ten days before the newest article: the engine a poll rebuilds
    # would leave it out (two windows back); this one holds it with all its members.
    for cid, members in clustered.members.items():
        assert clustered.engine.clusters[cid].size == len(members)
    assert sorted(len(m) for m in clustered.members.values()) == [3, 3]


def test_member_pairs_scored_by_the_shipped_model() -> None:
    fp = _script()
    clustered = fp.cluster_set("t", _items(), ClusterSettings(embedding="off"))
    scorer = fp.MemberScorer(clustered, cap=40)
    glacier, rates = sorted(clustered.members.values())
    same, _ = scorer.pairs(glacier[:1], glacier[1:])
    other, links = scorer.pairs(glacier, rates)
    assert len(same) == 2 and len(other) == 9 and len(links) == 9
    assert same.min() > 0.5 > other.max()
    assert scorer.within(clustered.pred[0]) is not None
    assert scorer.pairs(glacier[:1], glacier[:1])[0].size == 0  # a member is not paired with itself


def test_end_merges_unite_by_union() -> None:
    fp = _script()
    pred = [1, 1, 2, 3, 3, 4]
    assert fp.merged(pred, [{"a": 2, "b": 3}, {"a": 3, "b": 4}]) == [1, 1, 2, 2, 2, 2]
    assert fp.merged(pred, []) == pred
    assert fp.auc(np.array([0.9, 0.8]), np.array([0.1, 0.85])) == 0.75
