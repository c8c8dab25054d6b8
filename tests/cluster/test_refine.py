"""The second look at members (cluster/refine.py) as a pure unit: an engine, no SQLite."""
from __future__ import annotations

import math

from monitor.cluster import refine
from monitor.cluster.engine import Decision, Engine
from monitor.cluster.features import extract
from monitor.cluster.refine import Watch, second_look
from monitor.cluster.vectors import Cluster, Doc
from monitor.cluster_settings import ClusterSettings

LEXICAL = ClusterSettings(embedding="off")
HOUR = 3600.0

FERRY = [("Ferry crews strike over pay, crossings cancelled",
          "Ferry crews walked out over pay on Monday and the operator cancelled most crossings."),
         ("Ferry strike enters second day as pay talks stall",
          "Talks between the ferry operator and the crews' union stalled as the strike over pay went on."),
         ("Ferry operator offers crews new pay deal to end strike",
          "The operator offered the striking ferry crews a new pay deal, the union said."),
         ("Ferry union to vote on pay offer, strike suspended",
          "The ferry crews' union will vote on the pay offer and suspended the strike meanwhile.")]
BRIDGE = [("Harbour bridge closed after cracks found in steel cables",
           "Engineers closed the harbour bridge after inspectors found cracks in two of its steel cables."),
          ("Harbour bridge stays shut while engineers inspect cracked cables",
           "The harbour bridge stayed closed as engineers inspected the cracked steel cables."),
          ("Cracked cables: harbour bridge repairs to take weeks",
           "Repairs to the harbour bridge's cracked steel cables will take weeks, engineers said.")]
# Filed early into the ferry event (its extra crossings), while the bridge's own event was one article.
EARLY = ("Ferries add crossings as harbour bridge shut over cracked cables",
         "Ferries added extra crossings after the harbour bridge was shut when engineers found cracked steel cables.")


class Desk:
    """An engine whose events are built by hand, as if an earlier pass had filed them so."""

    def __init__(self) -> None:
        self.engine = Engine(LEXICAL, text_of=lambda _: "")
        self.next_id = 1
        texts = FERRY + BRIDGE + [EARLY]
        self.features = [extract(t, b) for t, b in texts]
        for f in self.features:
            self.engine.count(f)

    def doc(self, n: int, at: float = 0.0) -> Doc:
        article_id, self.next_id = self.next_id, self.next_id + 1
        return self.engine.prepare(article_id, "event", at, self.features[n], counted=True)

    def event(self, cluster_id: int, docs: list[Doc]) -> Cluster:
        cluster = Cluster(id=cluster_id)
        self.engine.add_cluster(cluster)
        for d in docs:
            self.engine.add_member(cluster, d)
        return cluster


def _joined(doc: Doc, cluster_id: int, score: float) -> Decision:
    return Decision(doc.article_id, cluster_id, score, (), "p", False)


def test_a_member_filed_early_moves_to_its_event_once_that_has_grown():
    desk = Desk()
    ferry, bridge, early = [desk.doc(i) for i in range(4)], [desk.doc(4 + i) for i in range(3)], desk.doc(7, HOUR)
    ferries = desk.event(1, ferry[:1] + [early])
    bridges = desk.event(2, bridge)
    watch = Watch()
    watch.observe(_joined(early, 1, 0.6), early, desk.engine)
    assert second_look(desk.engine, watch) == []  # its event has not grown yet: no look
    for d in ferry[1:3]:
        desk.engine.add_member(ferries, d)
    moves = second_look(desk.engine, watch)
    assert [(m.article_id, m.source, m.target) for m in moves] == [(early.article_id, 1, 2)]
    assert moves[0].reason.startswith(f"moved: p {moves[0].score:.2f} for event 2 against ")
    assert ferries.size == 3 and bridges.size == 4
    # The engine's sums and index follow the move exactly: as if the member had been filed there.
    expected = {}
    for d in bridge + [early]:
        for t, w in d.vec.items():
            expected[t] = expected.get(t, 0.0) + w
    assert expected.keys() == bridges.vec.keys()
    assert all(math.isclose(bridges.vec[t], w, abs_tol=1e-9) for t, w in expected.items())
    dots = desk.engine.index.dots(early.vec)
    assert math.isclose(dots[2], sum(q * bridges.vec.get(t, 0.0) for t, q in early.vec.items()), abs_tol=1e-9)
    assert math.isclose(dots.get(1, 0.0), sum(q * ferries.vec.get(t, 0.0) for t, q in early.vec.items()),
                        abs_tol=1e-9)
    assert watch.flush() == ([(early.article_id, 4, 1)], [])


def test_a_member_at_home_stays_and_the_analysts_events_are_left_alone():
    desk = Desk()
    ferry, bridge = [desk.doc(i) for i in range(4)], [desk.doc(4 + i) for i in range(3)]
    ferries = desk.event(1, ferry[:2])
    desk.event(2, bridge)
    watch = Watch()
    watch.observe(_joined(ferry[1], 1, 0.6), ferry[1], desk.engine)
    for d in ferry[2:]:
        desk.engine.add_member(ferries, d)
    assert second_look(desk.engine, watch) == []  # looked at, at home: stays
    assert ferries.size == 4
    locked = Desk()
    ferry, bridge, early = [locked.doc(i) for i in range(4)], [locked.doc(4 + i) for i in range(3)], locked.doc(7)
    kept = locked.event(1, ferry[:1] + [early])
    locked.event(2, bridge)
    watch = Watch()
    watch.observe(_joined(early, 1, 0.6), early, locked.engine)
    for d in ferry[1:3]:
        locked.engine.add_member(kept, d)
    kept.locked = True  # the analyst locked it: its members are the analyst's to move
    assert second_look(locked.engine, watch) == [] and kept.size == 4
    assert watch.entries == {} and watch.flush() == ([], [early.article_id])


def test_only_joins_near_the_bar_and_openers_are_watched_and_a_copied_article_is_forgotten():
    desk = Desk()
    ferry = [desk.doc(i) for i in range(3)]
    desk.event(1, ferry)
    watch = Watch()
    opened = Decision(ferry[0].article_id, 1, 1.0, (), "new cluster", True, opened=1)
    watch.observe(opened, ferry[0], desk.engine)
    assert ferry[0].article_id in watch.entries  # opened an event: looked at again while alone
    watch.observe(_joined(ferry[1], 1, 0.99), ferry[1], desk.engine)
    assert ferry[1].article_id not in watch.entries  # filed far above the bar: no second look
    watch.observe(_joined(ferry[2], 1, refine.WATCH_BELOW / 2), ferry[2], desk.engine)
    assert ferry[2].article_id in watch.entries
    copy = desk.doc(1)
    watch.observe(Decision(copy.article_id, 1, 1.0, (), "duplicate", False, dup_of=ferry[0].article_id),
                  copy, desk.engine)
    assert ferry[0].article_id not in watch.entries and copy.article_id not in watch.entries


def test_a_joined_member_does_not_move_into_a_smaller_event():
    desk = Desk()
    ferry, bridge, early = [desk.doc(i) for i in range(4)], [desk.doc(4 + i) for i in range(3)], desk.doc(7, HOUR)
    ferries = desk.event(1, ferry[:1] + [early])
    bridges = desk.event(2, bridge)
    watch = Watch()
    watch.observe(_joined(early, 1, 0.6), early, desk.engine)
    for d in ferry[1:]:
        desk.engine.add_member(ferries, d)  # four others: the bridge's three are fewer
    assert second_look(desk.engine, watch) == []
    assert ferries.size == 5 and bridges.size == 3
