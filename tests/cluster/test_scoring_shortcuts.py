"""More shortcuts on the decision path (engine.py, vectors.py, split.py), each checked against the
code it stands in for, which these tests keep as the reference:

- `engine._top` ranks candidates by (-score, id) tuples in one sort: the same list as
  `heapq.nsmallest` with a key function.
- `TermIndex.dots` starts its sums from the first posting in one comprehension: the same floats,
  bit for bit, as the loop that added every posting's products to sums started at 0.0.
- `Engine.assign` and `Engine.add_member` keep the light doc their caller made already
  (`_decide` makes one for the roster and the watch): the same members kept and decisions as
  when the engine makes its own.
- `Engine.count_batch` counts a batch's terms from the Counter of its term sets: the same document
  frequencies, in the same order, as `Engine.count` for each article.
- `Side.add` settles the side's language again only when another language than the leading one
  is added (the leading one only gains): the language `_settle_language` would give.
- `split.twins` tests that two pairs of marks cut the members the same way without building
  the unions: the same twins as the test on the unions.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
import heapq
import random
import struct

from monitor.cluster import split
from monitor.cluster.engine import Engine, _top
from monitor.cluster.evaluate import read_gnews, read_uci, split_title
from monitor.cluster.features import extract
from monitor.cluster.pairs import _split, read_pairs
from monitor.cluster.similarity import Side
from monitor.cluster.split import Mark, Member, Twins, marks, twins
from monitor.cluster.vectors import TermIndex, light_terms
from tests.conftest import shared_path

from .conftest import LEXICAL

STEP = 900.0


def _ecb() -> list[tuple[str, str]]:
    return [split_title(i.text) for i in read_gnews(shared_path("datasets", "ecbplus-dev", "ecbplus-dev.jsonl"))]


def _uci(n: int) -> list[tuple[str, str]]:
    items = read_uci(shared_path("datasets", "uci-news-aggregator-prefix", "uci-news-aggregator.dev.csv"))
    return [(i.text, "") for i in items[:n]]


def _reference_dots(index: TermIndex, vec: dict[str, float], bound: float) -> dict[int, float]:
    """TermIndex.dots as it was: every searching posting's products added in a loop."""
    postings = index._postings
    found = [(t, q, p) for t, q in vec.items() if (p := postings.get(t))]
    light = light_terms(found, bound)  # the choice is not the shortcut: shared
    skip = set(light)
    acc: dict[int, float] = {}
    for t, q, p in found:
        if t in skip:
            continue
        for cid, w in p.items():
            acc[cid] = acc.get(cid, 0.0) + q * w
    for t in light:
        q, posting = vec[t], postings[t]
        for cid in acc.keys() & posting.keys():
            acc[cid] += q * posting[cid]
    return acc


def _bits(values: dict[int, float]) -> dict[int, bytes]:
    return {k: struct.pack("<d", v) for k, v in values.items()}


def test_top_ranks_candidates_as_nsmallest_with_a_key_does():
    rng = random.Random(5)
    checked = ties = 0
    for size in (0, 1, 3, 8, 9, 40, 200):
        for _ in range(50):
            # Scores drawn from a few values, so ties (broken by the older cluster) are frequent.
            scores = {cid: (s, s, None) for cid in rng.sample(range(1, 10_000), size)
                      for s in [rng.choice((0.0, 0.05, 0.2, 0.2, 0.31, 1.0, rng.random()))]}
            ties += len({s[0] for s in scores.values()}) < len(scores)
            for n in (1, 3, 8, 50):
                expected = heapq.nsmallest(n, scores.items(), key=lambda kv: (-kv[1][0], kv[0]))
                assert _top(scores, n) == expected
                checked += 1
    assert checked > 1000 and ties > 100


def test_dots_are_the_same_floats_as_adding_every_posting_in_a_loop():
    engine = Engine(LEXICAL, lambda _: "")
    compared = with_light = 0
    for n, (title, text) in enumerate(_ecb() + _uci(800), start=1):
        features = extract(title, text)
        doc = engine.prepare(n, "event", n * STEP, features)
        for bound in (0.0, engine._event_bound, 0.5):
            found = [(t, q, p) for t, q in doc.vec.items() if (p := engine.index._postings.get(t))]
            with_light += bool(light_terms(found, bound))
            assert _bits(engine.index.dots(doc.vec, bound)) == _bits(_reference_dots(engine.index, doc.vec, bound))
            compared += 1
        for cluster in list(engine.clusters.values())[-3:]:  # a merge probe's query: an event's top terms
            probe = cluster.top_terms()
            bound = engine._merge_bound * cluster.norm
            assert _bits(engine.index.dots(probe, bound)) == _bits(_reference_dots(engine.index, probe, bound))
        engine.assign(doc, features.match)
    assert compared > 3000 and with_light > 500 and len(engine.clusters) > 100


def _kept(engine: Engine) -> dict[int, list[tuple]]:
    return {cid: [tuple(getattr(d, f.name) for f in dataclasses.fields(d)) for d in docs]
            for cid, docs in engine.members.items()}


def test_an_engine_given_the_light_docs_keeps_the_same_members_and_decides_the_same():
    own, given = Engine(LEXICAL, lambda _: ""), Engine(LEXICAL, lambda _: "")
    texts: dict[int, str] = {}
    own.text_of = given.text_of = texts.__getitem__
    kept_members = 0
    for n, (title, text) in enumerate(_ecb(), start=1):
        features = extract(title, text)
        texts[n] = features.match
        mine, theirs = own.prepare(n, "event", n * STEP, features), given.prepare(n, "event", n * STEP, features)
        light = theirs.light()
        assert own.assign(mine, features.match) == given.assign(theirs, features.match, light)
        assert _kept(own) == _kept(given)
        kept_members += any(d is light for docs in given.members.values() for d in docs)
    assert kept_members > 300  # the light doc given is the one kept


def _reference_twins(found: list[set[Mark]]) -> tuple[Twins, Twins] | None:
    """split.twins as it was: the two groups' unions built and tested."""
    pairs = split._pairs_of_marks(found)
    places = [t for t in pairs if t.one.kind == "place"]
    others = [t for t in pairs if t.one.kind != "place"]
    best = None
    for a in places:
        for b in others:
            for b_first, b_second, flip in ((b.first, b.second, False), (b.second, b.first, True)):
                one, other = a.first | b_first, a.second | b_second
                if one & other or not (a.first & b_first) or not (a.second & b_second):
                    continue
                cover = len(one) + len(other)
                if best is None or cover > best[0]:
                    best = (cover, a, b, flip)
    if best is None or best[0] < split.COVER * len(found):
        return None
    return best[1], best[2].flipped() if best[3] else best[2]


def test_twins_are_those_of_the_test_on_the_groups_unions():
    rng = random.Random(3)
    pool = [Mark("place", str(i), f"city {i}") for i in range(4)] + \
        [Mark(kind, str(i), f"{kind} {i}") for kind in ("actor", "day", "figure") for i in range(4)]
    found_some = found_ecb = 0
    for _ in range(3000):
        members = [set(rng.sample(pool, rng.randint(0, 4))) for _ in range(rng.randint(2, 14))]
        expected = _reference_twins(members)
        assert twins(members) == expected
        found_some += expected is not None
    assert found_some > 150
    # And on ECB+'s articles in groups of its own events and of two confusable ones.
    engine = Engine(LEXICAL, lambda _: "")
    features = [extract(title, text) for title, text in _ecb()]
    for f in features:
        engine.count(f)  # names weigh by how rare they are: actors are marks
    docs = [Member(n, {}, None, f.identity, f.has_text, None) for n, f in enumerate(features)]
    windows = [(start, width) for width in (12, 24, 48) for start in range(0, len(docs) - width, 4)]
    for start, width in windows:
        members = [marks(m, engine.name_weight) for m in docs[start:start + width]]
        expected = _reference_twins(members)
        assert twins(members) == expected
        found_ecb += expected is not None
    assert found_ecb > 5  # confusable events' groups do show twins


def test_a_batch_counted_at_once_gives_the_frequencies_of_counting_each_article():
    by_article, at_once = Engine(LEXICAL, lambda _: ""), Engine(LEXICAL, lambda _: "")
    features = [extract(title, text) for title, text in _ecb() + _uci(1500)]
    for start in range(0, len(features), 500):
        batch = features[start:start + 500]
        for f in batch:
            by_article.count(f)
        counts: Counter[str] = Counter()
        for f in batch:
            counts.update(f.tf.keys())
        at_once.count_batch(counts, len(batch))
        # The same counts, the same number of documents, and the terms in the same order.
        assert list(at_once.df.items()) == list(by_article.df.items()) and at_once.docs == by_article.docs
    assert at_once.docs == len(features) and max(at_once.df.values()) > 100


def test_a_side_s_language_is_the_most_named_one_after_every_member():
    pairs = read_pairs(shared_path("datasets", "semeval2022-task8-hfl-sample", "training_set.csv"))
    identities = [extract(*_split(t)).identity for p in pairs[:120] for t in (p.text1, p.text2)]
    rng = random.Random(7)
    changed = 0
    for _ in range(200):
        side, before = Side(), ""
        for identity in rng.sample(identities, rng.randint(1, 12)):
            side.add(identity)
            counts = side.languages
            # The rule _settle_language applies, recomputed from the counts after every member.
            assert side.language == (min(counts, key=lambda k: (-counts[k], k)) if counts else "")
            changed += side.language != before
            before = side.language
    assert changed > 250 and len({i.language for i in identities}) >= 6
