"""The split pass (cluster/split.py): a confusable twin event that joined an event is cut apart later.

Every text here is written for this test: two supermarket fires, one in Banstead on a Friday and
one in Wellington on a Sunday, reported in turns. The second fire's first report joins the first
fire's event (the same words, the same chain); once each fire has two reports, the event's members
show two events (two towns, two days, no report naming both), and it is cut in two.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from monitor.cluster import similarity, split
from monitor.cluster.assign import assign_pending
from monitor.cluster.engine import Engine
from monitor.cluster.state import build_engine
from monitor.cluster_settings import ClusterSettings
from monitor.models import ArticleIdentity, Place
from monitor.store import write_transaction
from monitor.store.clusters import bump_generation, split_pairs
from monitor.store.corrections import merge_clusters

from .conftest import LEXICAL, add_article, assignment, cluster_of, cluster_row

BANSTEAD = Place(1, "Banstead", "GB", "city", 20_000)
WELLINGTON = Place(2, "Wellington", "NZ", "city", 380_000)
FRIDAY, SUNDAY = 4, 6


def member(article_id: int, place: Place | None, day: int | None, words: dict[str, float]) -> split.Member:
    identity = ArticleIdentity("en", (place,) if place else (), (), (), (day,) if day is not None else ())
    norm = sum(w * w for w in words.values()) ** 0.5
    return split.Member(article_id, {t: w / norm for t, w in words.items()}, None, identity, True, 0.0)


def scorer() -> split.PairScore:
    return split.pair_scorer(similarity.model(False), lambda _: 3.0, 72.0)


FIRE = {"fire": 1.0, "supermarket": 1.0, "waitrose": 1.0}
HERE = {**FIRE, "banstead": 2.0, "high": 2.0, "street": 2.0}  # pairs across p 0.36, within 1.0
THERE = {**FIRE, "wellington": 2.0, "somerset": 2.0, "avon": 2.0}


def test_twin_marks_cut_the_members_into_their_events():
    members = [member(1, BANSTEAD, FRIDAY, HERE), member(2, WELLINGTON, SUNDAY, THERE),
               member(3, BANSTEAD, FRIDAY, HERE), member(4, WELLINGTON, SUNDAY, THERE),
               member(5, None, None, {**THERE, "arson": 1.0})]  # names neither: goes where its words are
    cut = split.propose(members, scorer(), lambda _: 3.0)
    assert cut is not None
    assert (cut.keep, cut.leave) == ((1, 3), (2, 4, 5))  # the half with the oldest member keeps the event
    assert cut.reason.startswith("split: places Banstead ≠ Wellington, days Friday ≠ Sunday; pairs within p ")


def test_one_kind_of_mark_alone_cuts_nothing():
    """Within one event some reports name the town and others another place (a county, a dateline):
    two cities with no second pair of marks cutting the members the same way is no evidence."""
    members = [member(1, BANSTEAD, FRIDAY, HERE), member(2, WELLINGTON, FRIDAY, THERE),
               member(3, BANSTEAD, FRIDAY, HERE), member(4, WELLINGTON, FRIDAY, THERE)]
    assert split.propose(members, scorer(), lambda _: 3.0) is None


def test_halves_that_agree_as_much_across_are_not_cut():
    """The same words on both sides: the marks differ but the members read as one event."""
    members = [member(i, place, day, FIRE) for i, (place, day) in
               enumerate([(BANSTEAD, FRIDAY), (WELLINGTON, SUNDAY)] * 2, start=1)]
    assert split.propose(members, scorer(), lambda _: 3.0) is None


def test_a_cut_needs_two_members_on_each_side():
    members = [member(1, BANSTEAD, FRIDAY, HERE), member(2, WELLINGTON, SUNDAY, THERE),
               member(3, BANSTEAD, FRIDAY, HERE)]
    assert split.propose(members, scorer(), lambda _: 3.0) is None
    assert not split.due(3) and split.due(4) and split.due(16) and not split.due(17) and split.due(20)
    assert not split.due(split.MAX_MEMBERS + 4)


DAY = "2026-11-{}T{}:00Z"
BANSTEAD_FIRE = [
    ("Fire destroys Waitrose supermarket in Banstead",
     "A fire destroyed the Waitrose supermarket on the High Street in Banstead on Friday evening, Surrey police "
     "said. Firefighters fought the blaze for six hours and 50 shoppers were led out of the store."),
    ("Banstead Waitrose gutted by Friday blaze",
     "Fire crews spent the night at the Waitrose store in Banstead after the blaze broke out on Friday, Surrey fire "
     "service said. About 50 customers and staff left the supermarket safely."),
    ("Police treat Banstead supermarket fire as arson",
     "Surrey police said on Friday the fire that gutted the Waitrose supermarket in Banstead was started "
     "deliberately. A man was seen on CCTV near the store before the blaze, officers said."),
]
WELLINGTON_FIRE = [
    ("Fire destroys Waitrose supermarket in Wellington",
     "A fire destroyed the Waitrose supermarket in Wellington on Sunday morning, Avon and Somerset police said. "
     "Firefighters fought the blaze for seven hours and the store's 30 staff were led out."),
    ("Wellington Waitrose gutted by Sunday blaze",
     "Fire crews spent the day at the Waitrose store in Wellington after the blaze broke out on Sunday, Devon and "
     "Somerset fire service said. The supermarket's staff left the building safely."),
    ("Police treat Wellington supermarket fire as arson",
     "Avon and Somerset police said on Sunday the fire that gutted the Waitrose supermarket in Wellington was "
     "started deliberately. Officers are looking for a man seen near the store."),
]


def report(db, n: int) -> tuple[int, int]:
    """The n-th report of each fire, Banstead's first (the fires two days apart, reports in turns)."""
    here = add_article(db, *BANSTEAD_FIRE[n], host=f"banstead{n}.example", at=DAY.format(20, f"{10 + 2 * n}:00"))
    there = add_article(db, *WELLINGTON_FIRE[n], host=f"wellington{n}.example", at=DAY.format(22, f"{10 + 2 * n}:00"))
    return here, there


@pytest.mark.parametrize("settings", [ClusterSettings(embedding="on"), LEXICAL], ids=["embeddings", "lexical"])
def test_twin_fires_reported_in_turns_end_as_two_events(db, settings, assign):
    first, second = report(db, 0)
    assign(settings)
    assert cluster_of(db, second) == cluster_of(db, first)  # the wrong first crossing this pass undoes later
    pairs = [report(db, n) for n in (1, 2)]
    assign(settings)
    banstead = {cluster_of(db, a) for a in (first, *(p[0] for p in pairs))}
    wellington = {cluster_of(db, a) for a in (second, *(p[1] for p in pairs))}
    assert len(banstead) == 1 and len(wellington) == 1 and banstead != wellington
    assert banstead == {cluster_of(db, first)}  # the event keeps its id; the twin gets a new one
    moved = assignment(db, second)
    assert moved["reason"].startswith("split: places Banstead ≠ Wellington, days Friday ≠ Sunday"), moved["reason"]
    assert moved["method"] == "auto"
    assert cluster_row(db, banstead.pop())["size"] == 3 and cluster_row(db, wellington.pop())["size"] == 3


def test_an_event_holding_the_analysts_decisions_is_not_cut(db, assign):
    first, second = report(db, 0)
    other = add_article(db, "Waitrose opens new store in Reigate",
                        "Waitrose opened a new supermarket in Reigate on Thursday, the chain said.",
                        host="retail.example", at=DAY.format(20, "09:00"))
    assign()
    event = cluster_of(db, first)
    assert cluster_of(db, second) == event and cluster_of(db, other) != event
    merge_clusters(db, event, cluster_of(db, other))  # the analyst's: the event is now theirs to cut
    later = [a for n in (1, 2) for a in report(db, n)]
    assign()
    assert {cluster_of(db, a) for a in (first, second, *later)} == {event}
    assert not any(assignment(db, a)["reason"].startswith("split:") for a in (first, second, *later))


LATER = [  # the next reports of each fire, after the cut
    ("Waitrose says Banstead store will reopen after Friday fire",
     "Waitrose said its Banstead supermarket, gutted by Friday's fire on the High Street, will reopen within "
     "months. Surrey police are still looking for the man seen near the store."),
    ("Waitrose says Wellington store will reopen after Sunday fire",
     "Waitrose said its Wellington supermarket, gutted by Sunday's fire, will reopen within months. Avon and "
     "Somerset police are still looking for the man seen near the store."),
]


def rebuild(db) -> None:
    """What another process's write does: the clusters' generation moves on, and the next run's
    engine is rebuilt from the file instead of the one this process holds."""
    with write_transaction(db):
        bump_generation(db)


# These short fixtures' halves are far under the default merge bar (p 0.73 on words, 0.22 with the
# embedding: two towns, two days); the memory must hold at any bar, so the test lowers it to where an
# engine without it merges the halves back (checked: the first rebuild then merges them).
LOW_MERGE_BAR = 0.2


@pytest.mark.parametrize("settings", [ClusterSettings(embedding="on", merge_probability=LOW_MERGE_BAR),
                                      replace(LEXICAL, merge_probability=LOW_MERGE_BAR)], ids=["embeddings", "lexical"])
def test_events_split_apart_stay_apart_in_an_engine_rebuilt_from_the_file(db, settings, assign):
    reports = [report(db, n) for n in range(3)]
    assign(settings)
    banstead, wellington = cluster_of(db, reports[0][0]), cluster_of(db, reports[0][1])
    assert banstead != wellington  # cut apart (as above)
    for n in (0, 1):
        rebuild(db)
        here = add_article(db, *LATER[0], host=f"later-banstead{n}.example", at=DAY.format(23, f"{10 + n}:00"))
        there = add_article(db, *LATER[1], host=f"later-wellington{n}.example", at=DAY.format(23, f"{12 + n}:00"))
        assign(settings)
        assert cluster_row(db, banstead)["merged_into"] is None and cluster_row(db, wellington)["merged_into"] is None
        assert (cluster_of(db, here), cluster_of(db, there)) == (banstead, wellington), n
    assert build_engine(db, settings, settings.embedding == "on", lambda _: "").apart == {
        frozenset((banstead, wellington))}
    merge_clusters(db, banstead, wellington)  # the analyst's merge wins over the memory ...
    assert split_pairs(db) == set()
    last = add_article(db, *LATER[1], host="last-wellington.example", at=DAY.format(23, "15:00"))
    assign(settings)
    assert {cluster_of(db, a) for pair in reports for a in pair} | {cluster_of(db, last)} == {banstead}


def test_in_memory_pairs_follow_a_merged_side_as_the_file_does(lexical):
    engine = Engine(lexical, lambda _: "", apart={frozenset((1, 2)), frozenset((4, 5))})
    engine._carry_apart(2, 3)  # event 2 merged into 3: 3 stays apart from 1, as store.split_pairs reads it
    assert engine.apart == {frozenset((1, 3)), frozenset((4, 5))}


def test_the_assignments_returned_follow_a_split_made_later_in_the_same_batch(db):
    """Both fires' reports decided in one batch: Wellington's first report joins Banstead's event and
    is moved out by a split decided after it; what the run returns says where the store put it."""
    ids = [a for n in range(3) for a in report(db, n)]
    made = {a.article_id: a for a in assign_pending(db, LEXICAL)}
    assert set(made) == set(ids)
    stored = {a: (cluster_of(db, a), assignment(db, a)["reason"]) for a in ids}
    assert len({c for c, _ in stored.values()}) == 2
    assert stored[ids[1]][1].startswith("split: "), stored[ids[1]]  # the split is inside this batch
    assert {a: (m.cluster_id, m.reason) for a, m in made.items()} == stored
