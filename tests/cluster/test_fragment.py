"""The consolidation's size rule (cluster/fragment.py): a fragment of a story is merged into the
story, two events of comparable size are not, however their members' pairs agree.

Every headline here is written for this test; the events are built by hand, as in test_consolidate.
"""
from __future__ import annotations

from monitor.cluster import consolidate, fragment
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

    usual = consolidate.BAR
    assert fragment.bar(sized(2), sized(4), usual) == usual and fragment.bar(sized(40), sized(3), usual) == usual
    assert fragment.bar(sized(3), sized(5), usual) is None and fragment.bar(sized(33), sized(32), usual) is None
    assert fragment.bar(sized(1), sized(2), usual) == usual  # (single articles never reach it: consolidate.MIN_SIZE)
    # A fragment twenty times smaller than its story needs less, never more than the usual bar.
    assert fragment.bar(sized(2), sized(40), usual) == fragment.bar(sized(41), sized(2), usual) == fragment.SMALL_BAR
    assert fragment.bar(sized(2), sized(39), usual) == usual
    assert fragment.bar(sized(2), sized(40), 0.1) == 0.1


# A story told in twenty headlines, and a two-headline fragment of it whose pairs against the story
# average a mean p of about 0.22 (TF-IDF alone): under consolidate.BAR, over fragment.SMALL_BAR.
STORY = ["Harbour bridge closed after cracks found in steel cables",
         "Harbour bridge shut as cracks found in cables",
         "City council meets over harbour bridge closure",
         "Ferries added while harbour bridge stays shut",
         "Commuters face long delays with harbour bridge shut",
         "Engineers inspect harbour bridge cables for more cracks",
         "Harbour bridge repairs could take months, engineers say",
         "Traffic chaos as harbour bridge closure enters second week",
         "Businesses near harbour bridge report falling trade",
         "Mayor promises harbour bridge will reopen by spring",
         "Harbour bridge contractor defends cable maintenance record",
         "Cyclists allowed back on harbour bridge footpath",
         "Harbour bridge closure costs economy millions a day",
         "Opposition calls for inquiry into harbour bridge cracks",
         "Harbour bridge cable supplier named in safety review",
         "Night buses extended during harbour bridge closure",
         "Harbour bridge tolls suspended until repairs finish",
         "Emergency services reroute around closed harbour bridge",
         "Harbour bridge cracks blamed on decades of salt corrosion",
         "Residents rally for second crossing after harbour bridge shut"]
SMALL_FRAGMENT = ["Harbour bridge shut after cracks found: ferries added for commuters",
                  "Harbour bridge repairs: engineers and ferries for commuters"]


def test_a_fragment_far_smaller_than_its_story_is_merged_at_the_lower_bar(monkeypatch):
    """fragment.SMALL at 10 (its value is twenty: a story of forty headlines is more than this test
    needs to show the rule): the fragment joins the story of twenty (ten times its size) at mean p
    0.22, under the usual bar, and stays apart from the story of nineteen at 0.21."""
    monkeypatch.setattr(fragment, "SMALL", 10)
    for told, merged in ((20, True), (19, False)):
        desk = Desk()
        desk.event(1, STORY[:told])
        desk.event(2, SMALL_FRAGMENT)
        fusions = desk.run({2})
        if not merged:
            assert fusions == [] and 2 in desk.engine.clusters
            continue
        assert [(f.source, f.target) for f in fusions] == [(2, 1)]
        mean, bar = float(fusions[0].reason.split()[3]), float(fusions[0].reason.split()[5])
        assert fragment.SMALL_BAR == bar <= mean < consolidate.BAR
        assert fusions[0].reason.endswith(f" >= 0.20 (a fragment 10x smaller) over {2 * told} pairs with event 1")
