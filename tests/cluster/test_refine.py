"""The second look at articles left alone (cluster/refine.py) as a pure unit: an engine, no SQLite."""
from __future__ import annotations

import math

from monitor.cluster.engine import Decision, Engine
from monitor.cluster.features import extract
from monitor.cluster.refine import LOOKS, Watch, second_look
from monitor.cluster.vectors import Cluster, Doc
from monitor.cluster_settings import ClusterSettings

LEXICAL = ClusterSettings(embedding="off")
HOUR = 3600.0

BRIDGE = [("Harbour bridge closed after cracks found in steel cables",
           "Engineers closed the harbour bridge after inspectors found cracks in two of its steel cables."),
          ("Harbour bridge stays shut while engineers inspect cracked cables",
           "The harbour bridge stayed closed as engineers inspected the cracked steel cables."),
          ("Cracked cables: harbour bridge repairs to take weeks",
           "Repairs to the harbour bridge's cracked steel cables will take weeks, engineers said.")]
EARLY = ("Ferries add crossings as harbour bridge shut over cracked cables",
         "Ferries added extra crossings after the harbour bridge was shut when engineers found cracked steel cables.")
OTHER = ("Central bank raises interest rates to curb inflation",
         "The central bank raised its key rate by half a point, citing stubborn inflation in services.")


class Desk:
    """An engine whose events are built by hand, as if the pass had filed them so."""

    def __init__(self) -> None:
        self.engine = Engine(LEXICAL, text_of=lambda _: "")
        self.features = [extract(t, b) for t, b in [*BRIDGE, EARLY, OTHER]]
        for f in self.features:
            self.engine.count(f)
        self.next_id = 1

    def doc(self, n: int, at: float = 0.0) -> Doc:
        article_id, self.next_id = self.next_id, self.next_id + 1
        return self.engine.prepare(article_id, "event", at, self.features[n], counted=True)

    def event(self, cluster_id: int, docs: list[Doc]) -> Cluster:
        cluster = Cluster(id=cluster_id)
        self.engine.add_cluster(cluster)
        for d in docs:
            self.engine.add_member(cluster, d)
        return cluster


def _opened(doc: Doc, cluster_id: int) -> Decision:
    return Decision(doc.article_id, cluster_id, 1.0, (), "new cluster", True, opened=cluster_id)


def test_an_article_left_alone_moves_to_its_story_once_that_exists():
    desk = Desk()
    early, bridge = desk.doc(3), [desk.doc(i, HOUR) for i in range(3)]
    desk.event(1, [early])  # opened alone: the bridge's event did not exist yet
    watch = Watch()
    watch.observe(_opened(early, 1), early)
    assert second_look(desk.engine, watch) == []  # nothing else yet: it stays, and waits
    bridges = desk.event(2, bridge)
    moves = second_look(desk.engine, watch)
    assert [(m.article_id, m.source, m.target) for m in moves] == [(early.article_id, 1, 2)]
    assert moves[0].reason.startswith(f"moved: p {moves[0].score:.2f} for event 2, alone since it opened event 1: ")
    assert 1 not in desk.engine.clusters and bridges.size == 4
    # The engine's sums and index follow the move: as if it had been filed there.
    expected: dict[str, float] = {}
    for d in [*bridge, early]:
        for t, w in d.vec.items():
            expected[t] = expected.get(t, 0.0) + w
    assert all(math.isclose(bridges.vec[t], w, abs_tol=1e-9) for t, w in expected.items())
    dots = desk.engine.index.dots(early.vec)
    assert set(dots) == {2}
    assert math.isclose(dots[2], sum(q * bridges.vec[t] for t, q in early.vec.items() if t in bridges.vec))
    assert watch.entries == {} and watch.flush() == ([], [early.article_id])


def test_looks_end_when_the_article_is_joined_or_after_the_last_one():
    desk = Desk()
    early, other = desk.doc(3), desk.doc(4)
    joined = desk.event(1, [early])
    desk.event(2, [other])
    watch = Watch()
    watch.observe(_opened(early, 1), early)
    watch.observe(_opened(other, 2), other)
    desk.engine.add_member(joined, desk.doc(0))  # its story came to it: no longer alone
    for _ in range(LOOKS):
        assert second_look(desk.engine, watch) == []
    assert watch.entries == {}
    assert watch.flush() == ([], [early.article_id, other.article_id])


def test_the_analysts_events_and_copies_are_left_alone():
    desk = Desk()
    early, bridge = desk.doc(3), [desk.doc(i, HOUR) for i in range(3)]
    kept = desk.event(1, [early])
    desk.event(2, bridge)
    watch = Watch()
    watch.observe(_opened(early, 1), early)
    kept.locked = True  # the analyst locked it: their decision
    assert second_look(desk.engine, watch) == [] and kept.size == 1
    copied = Desk()
    early, bridge = copied.doc(3), [copied.doc(i, HOUR) for i in range(3)]
    copied.event(1, [early])
    copied.event(2, bridge)
    watch = Watch()
    watch.observe(_opened(early, 1), early)
    copy = copied.doc(3)
    watch.observe(Decision(copy.article_id, 1, 1.0, (), "duplicate", False, dup_of=early.article_id), copy)
    assert second_look(copied.engine, watch) == [] and watch.entries == {}
    joined = copied.doc(0)
    watch.observe(Decision(joined.article_id, 2, 0.6, (), "p 0.60", False), joined)
    assert watch.entries == {}  # a member that joined an event is not watched
