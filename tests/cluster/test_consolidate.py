"""The batch end's consolidation (cluster/consolidate.py): fragments of one story told in bare
headlines become one event when their members' pairs agree; nothing else is merged.

Every headline here is written for this test. The engine's events are built by hand, as if the
pass had filed the headlines so (two fragments of a harbour bridge story, one central bank story).
"""
from __future__ import annotations

from dataclasses import replace

from monitor.cluster import consolidate, fragment
from monitor.cluster.assign import assign_pending
from monitor.cluster.consolidate import Roster
from monitor.cluster.engine import Engine
from monitor.cluster.evaluate import read_uci, store_items
from monitor.cluster.features import extract
from monitor.cluster.vectors import Cluster
from monitor.cluster_settings import ClusterSettings
from monitor.store.clusters import merge_into

from tests.conftest import shared_path

from .conftest import LEXICAL, add_article, assignment, cluster_of

BRIDGE_ONE = ["Harbour bridge closed after cracks found in steel cables",
              "Harbour bridge shut as cracks found in cables",
              "Harbour bridge closed after cracks found in its steel cables",
              "Harbour bridge shut after cracks found in steel cables"]
BRIDGE_TWO = ["Harbour bridge closed for weeks after cracks found in cables",
              "Cracks found in harbour bridge cables, closed for weeks"]  # a fragment: half the story's size (fragment.py)
BANK = ["Central bank raises interest rates to curb inflation",
        "Central bank lifts interest rates again as inflation stays high"]
BODY = "Engineers said the harbour bridge will stay closed while the cracked steel cables are replaced."


class Desk:
    """An engine whose events are built by hand, with the roster the batch keeps beside it."""

    def __init__(self, settings: ClusterSettings = LEXICAL) -> None:
        self.engine = Engine(settings, text_of=lambda _: "")
        self.roster = Roster()
        self.next_id = 1

    def event(self, cluster_id: int, titles: list[str], body: str = "") -> Cluster:
        features = [extract(t, body) for t in titles]
        for f in features:
            self.engine.count(f)
        cluster = Cluster(id=cluster_id)
        self.engine.add_cluster(cluster)
        for f in features:
            doc = self.engine.prepare(self.next_id, "event", 0.0, f, counted=True)
            self.next_id += 1
            self.engine.add_member(cluster, doc)
            self.roster.add(doc)
        return cluster

    def run(self, touched: set[int]) -> list[consolidate.Fusion]:
        return consolidate.consolidate(self.engine, self.roster, touched)


def story_in_pieces() -> Desk:
    desk = Desk()
    desk.event(1, BRIDGE_ONE)
    desk.event(2, BRIDGE_TWO)
    desk.event(3, BANK)
    return desk


def test_fragments_of_one_story_are_merged_with_their_reason():
    desk = story_in_pieces()
    fusions = desk.run({2})
    assert [(f.source, f.target) for f in fusions] == [(2, 1)]  # into the older event
    assert fusions[0].reason.startswith("merged: mean p ")
    assert fusions[0].reason.endswith(" >= 0.25 over 8 pairs with event 1")
    assert desk.engine.clusters[1].size == 6 and 2 not in desk.engine.clusters
    assert desk.engine.clusters[3].size == 2  # the other story stays apart


def test_pairs_under_the_bar_merge_nothing(monkeypatch):
    desk = story_in_pieces()
    monkeypatch.setattr(consolidate, "BAR", 0.999)
    assert desk.run({1, 2, 3}) == []
    assert {1, 2, 3} <= desk.engine.clusters.keys()


def test_locked_pinned_split_apart_and_single_article_events_are_left_alone():
    for change in ("locked", "pinned", "apart", "alone"):
        desk = Desk()
        desk.event(1, BRIDGE_ONE)
        desk.event(2, BRIDGE_TWO[:1] if change == "alone" else BRIDGE_TWO)
        if change in ("locked", "pinned"):
            setattr(desk.engine.clusters[2], change, True)
        if change == "apart":
            desk.engine.apart.add(frozenset((1, 2)))
        assert desk.run({1, 2}) == [], change


def test_events_with_bodies_are_left_to_the_join_the_merge_and_the_split():
    desk = Desk()
    desk.event(1, BRIDGE_ONE, BODY)
    desk.event(2, BRIDGE_TWO, BODY)
    assert desk.run({1, 2}) == []


def test_the_roster_keeps_bare_headlines_only_and_without_their_texts():
    desk = story_in_pieces()
    kept = desk.roster.newest(desk.engine.clusters[1])
    assert [d.article_id for d in kept] == [1, 2, 3, 4]
    assert all(d.features.tf == {} and d.features.embed_text == "" for d in kept)
    with_body = desk.engine.prepare(99, "event", 0.0, extract(BRIDGE_ONE[0], BODY))
    desk.roster.add(with_body)
    assert 99 not in desk.roster.docs
    restored = Roster.restore({d.article_id: d for d in [*kept, replace(with_body, article_id=98)]})
    assert sorted(restored.docs) == [1, 2, 3, 4]


def test_the_store_writes_the_reason_before_each_automatic_members_own(db, assign):
    """merge_into with a reason (the batch writer's fusions) on a real SQLite file."""
    first = add_article(db, BANK[0])
    second = add_article(db, "Harbour bridge closed after cracks found in steel cables")
    assign()
    source, target = cluster_of(db, second), cluster_of(db, first)
    before, untouched = assignment(db, second)["reason"], assignment(db, first)["reason"]
    merge_into(db, source, target, reason=f"merged: mean p 0.31 over 4 pairs with event {target}")
    row = assignment(db, second)
    assert row["cluster_id"] == target
    assert row["reason"] == f"merged: mean p 0.31 over 4 pairs with event {target}; {before}"
    assert assignment(db, first)["reason"] == untouched  # the target's own members keep theirs


def test_uci_headlines_fragments_are_merged_through_assign_pending(db):
    """The first 1,000 UCI dev headlines (../shared) through the real pipeline on a SQLite file: some
    fragments are merged at batch ends, each member keeps the fusion's reason before its own, and the
    event it names is where the member sits."""
    items = read_uci(shared_path("datasets", "uci-news-aggregator-prefix", "uci-news-aggregator.dev.csv"))[:1000]
    store_items(db, items)
    assign_pending(db, ClusterSettings())
    rows = db.conn.execute("SELECT article_id, cluster_id, reason FROM assignments "
                           "WHERE reason LIKE 'merged: mean p %'").fetchall()
    assert rows
    for _, cluster_id, reason in rows:
        mean, bar = float(reason.split()[3]), float(reason.split()[5])  # "merged: mean p 0.31 >= 0.25 over ..."
        assert mean >= bar and bar in (consolidate.BAR, fragment.SMALL_BAR)
        assert int(reason.split(";")[0].rsplit(" ", 1)[1]) == cluster_id or _merged_on(db, reason, cluster_id)


def _merged_on(db, reason: str, cluster_id: int) -> bool:
    """The event a fusion named was itself merged on later: its member sits where that event went."""
    named = int(reason.split(";")[0].rsplit(" ", 1)[1])
    while named != cluster_id:
        row = db.conn.execute("SELECT merged_into FROM clusters WHERE id = ?", [named]).fetchone()
        if row is None or row[0] is None:
            return False
        named = row[0]
    return True


def test_the_closest_pair_is_merged_first():
    """Average linkage's order: a fragment goes to its nearest story, not to the first event weighed."""
    desk = Desk()
    desk.event(1, ["Cracked cables keep harbour bridge closed for weeks",
                   "Harbour bridge cables cracked, repairs take weeks"])  # the lowest id, weighed first by an order of ids
    desk.event(2, BRIDGE_ONE)
    desk.event(3, ["Harbour bridge closed after cracks are found in steel cables",
                   "Harbour bridge shut after cracks found in its steel cables"])  # BRIDGE_ONE's start told again
    fusions = desk.run({1, 2, 3})
    means = [float(f.reason.split()[3]) for f in fusions]
    assert [(f.source, f.target) for f in fusions][:1] == [(3, 2)]
    assert means[0] == max(means)
