"""The consolidation's size rule (cluster/fragment.py): a fragment of a story is merged into the
story, two events of comparable size are not, however their members' pairs agree.

Every headline here is written for this test; the events are built by hand, as in test_consolidate.
"""
from __future__ import annotations

from monitor.cluster import fragment
from monitor.cluster.features import extract
from monitor.cluster.vectors import Cluster

from .test_consolidate import BANK, BRIDGE_ONE, BRIDGE_TWO, Desk

ONE, MORE, TWO = BRIDGE_ONE[:2], BRIDGE_ONE[2:], BRIDGE_TWO


def grow(desk: Desk, cluster_id: int, titles: list[str]) -> None:
    """More headlines filed into an event the desk built."""
    features = [extract(t, "") for t in titles]
    for f in features:
        desk.engine.count(f)
    for f in features:
        doc = desk.engine.prepare(desk.next_id, "event", 0.0, f, counted=True)
        desk.next_id += 1
        desk.engine.add_member(desk.engine.clusters[cluster_id], doc)
        desk.roster.add(doc)


def test_two_events_of_comparable_size_stay_apart_until_one_is_the_story():
    desk = Desk()
    desk.event(1, ONE)
    desk.event(2, TWO)
    desk.event(3, BANK)
    assert desk.run({1, 2}) == []  # two headlines against two: main merged them (mean p 0.9)
    assert {1, 2} <= desk.engine.clusters.keys()
    grow(desk, 1, MORE)  # four against two: the two are a fragment of the story
    fusions = desk.run({1})
    assert [(f.source, f.target) for f in fusions] == [(2, 1)]
    assert fusions[0].reason.startswith("merged: mean p ") and " over 8 pairs " in fusions[0].reason
    assert desk.engine.clusters[1].size == 6 and desk.engine.clusters[3].size == 2


def test_the_rule_reads_the_events_whole_sizes_either_way_round():
    def sized(n: int) -> Cluster:
        return Cluster(id=n, size=n)

    assert fragment.of_story(sized(2), sized(4)) and fragment.of_story(sized(40), sized(3))
    assert not fragment.of_story(sized(3), sized(5)) and not fragment.of_story(sized(33), sized(32))
    assert fragment.of_story(sized(1), sized(2))  # (single articles never reach it: consolidate.MIN_SIZE)
