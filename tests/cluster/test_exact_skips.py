"""The clusterer's exact skips (engine.py, vectors.py, split.py): work left out only where it cannot
change a decision. Each is checked against the work done in full: the same decisions, moves and sums.

The replay reads ECB+ dev (../shared: confusable twin events with bodies, so joins, merges, splits
and second looks all happen), spread over more than the time window so events go cold.
"""
from __future__ import annotations

import math
import random

from monitor.cluster import split
from monitor.cluster.engine import Engine
from monitor.cluster.evaluate import read_gnews, split_title
from monitor.cluster.features import extract
from monitor.cluster.refine import Watch, second_look
from monitor.cluster.similarity import Side
from monitor.cluster.vectors import PROBE_TERMS, Cluster, Doc
from monitor.models import ArticleIdentity, Place
from tests.conftest import shared_path

from .conftest import LEXICAL

STEP = 900.0  # seconds between articles: 575 articles span 144 h, twice the 72 h window
BATCH = 40  # articles between second looks and sweeps, as assign_pending's batch ends


def replay(engine: Engine, items: list[tuple[str, str]]) -> list:
    texts: dict[int, str] = {}
    engine.text_of = texts.__getitem__
    watch, out = Watch(), []
    for n, (title, text) in enumerate(items, start=1):
        features = extract(title, text)
        texts[n] = features.match
        doc = engine.prepare(n, "event", n * STEP, features)
        decision = engine.assign(doc, features.match)
        watch.observe(decision, doc)
        out.append(decision)
        if n % BATCH == 0:
            out.extend(second_look(engine, watch))
            engine.sweep()
    return out


def ecb_items() -> list[tuple[str, str]]:
    return [split_title(i.text) for i in read_gnews(shared_path("datasets", "ecbplus-dev", "ecbplus-dev.jsonl"))]


def test_the_floors_leave_every_decision_and_move_as_scoring_every_candidate_does():
    items = ecb_items()
    fast = Engine(LEXICAL, lambda _: "")
    full = Engine(LEXICAL, lambda _: "")
    full.__dict__.update(_weighed_from=0.0, _moved_from=0.0, _merged_from=0.0)  # every candidate scored
    assert fast._weighed_from > 0 and fast._moved_from > fast._weighed_from and fast._merged_from > 0
    made, reference = replay(fast, items), replay(full, items)
    assert made == reference
    assert any(getattr(d, "merged", ()) for d in made) and any(getattr(d, "split", None) for d in made)
    assert any(not hasattr(d, "merged") for d in made)  # second looks moved some articles
    assert fast.cold and {c: (x.size, x.vec) for c, x in fast.clusters.items()} == \
        {c: (x.size, x.vec) for c, x in full.clusters.items()}


def test_a_floor_is_the_least_cosine_whose_ceiling_reaches_its_bar():
    engine = Engine(LEXICAL, lambda _: "")
    for floor, bar in ((engine._merged_from, engine._merge_bar), (engine._moved_from, engine._join_bar - 1e-9)):
        assert engine.ceiling(floor, None) >= bar > engine.ceiling(math.nextafter(floor, 0.0), None)
    # A candidate under the second look's floor cannot reach the join probability with all the evidence.
    below = math.nextafter(engine._moved_from, 0.0)
    assert 1 / (1 + math.exp(-engine.ceiling(below, None))) < LEXICAL.join_probability


def test_top_terms_sought_among_the_last_ones_and_those_grown_are_the_top_terms():
    rng = random.Random(5)
    words = [f"w{i}" for i in range(120)]
    cluster = Cluster(1)
    for n in range(40):
        vec = {t: rng.choice((0.1, 0.2, 0.3, rng.random())) for t in rng.sample(words, 12)}  # ties on purpose
        cluster.add(Doc(n, "event", float(n), extract(f"t{n}", ""), vec))
        if n % 3 == 0:
            expected = dict(sorted(cluster.vec.items(), key=lambda kv: (-kv[1], kv[0]))[:PROBE_TERMS])
            got = cluster.top_terms()
            assert list(got.items()) == list(expected.items())
        if n == 20:
            other = Cluster(2)
            other.add(Doc(99, "event", 0.0, extract("x", ""), {t: 5.0 for t in words[100:110]}))
            cluster.absorb(other)  # the summed terms may all rise: sought among all again
            assert set(cluster.top_terms()) >= set(words[100:110])


def _identity(cities: list[Place]) -> ArticleIdentity:
    return ArticleIdentity("en", tuple(cities), (), (), ())


def test_an_event_naming_no_two_cities_twice_is_never_cut():
    rng = random.Random(7)
    towns = [Place(i, f"Town{i}", "GB", "city", 200_000) for i in range(4)]
    words = [f"w{i}" for i in range(20)]
    looked = 0
    for _ in range(300):
        identities = [_identity(rng.sample(towns, rng.choice((0, 0, 1, 1, 2)))) for _ in range(rng.randint(4, 10))]
        side = Side()
        for identity in identities:
            side.add(identity)
        members = [split.Member(n, {t: 1 / 3 ** 0.5 for t in rng.sample(words, 3)}, None, identity, True, 0.0)
                   for n, identity in enumerate(identities)]
        if not split.two_cities(side):
            looked += 1
            assert split.propose(members, lambda a, b: 1.0 if a.vec == b.vec else 0.0, lambda _: 3.0) is None
    assert looked > 20
