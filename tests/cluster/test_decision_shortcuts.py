"""Shortcuts on the per-article decision path (engine.py, similarity.py, vectors.py) that must
leave every decision as it was: each is checked against the general code it stands in for.

- `similarity.side_of` builds one article's side directly: the same side as `Side().add`, field
  by field and in each field's order (evidence reads some in order: the first city named, the
  shared places listed).
- `Doc.light` builds the kept article field by field: the same as `dataclasses.replace` with the
  texts and raw counts emptied, so a field added to Doc or Features later cannot be lost silently.
- `Engine.assign` scores, with the words alone, the candidates it may weigh apart from the others
  (their cosines only, put through the filters only when read: `Under`), and `Engine._open_top`
  ranks the others only when fewer than the duplicate check reads are open: the same candidates
  weighed and checked as when every one is scored.
- `Engine._cold_since` finds the cold events a late article's window reaches by time: the same
  as visiting every cold event, also after late articles moved cold events' times.
"""
from __future__ import annotations

import dataclasses
import random

from monitor.cluster.engine import DUP_CANDIDATE_CLUSTERS, SCORED_CANDIDATES, Engine, Under
from monitor.cluster.evaluate import read_gnews, split_title
from monitor.cluster.features import extract
from monitor.cluster.pairs import _split, read_pairs
from monitor.cluster.refine import Watch, second_look
from monitor.cluster.similarity import Side, side_of
from monitor.cluster.vectors import Doc
from tests.conftest import shared_path

from .conftest import LEXICAL

SIDE_FIELDS = [f.name for f in dataclasses.fields(Side)]
STEP = 900.0


def _texts() -> list[tuple[str, str]]:
    """ECB+ dev (places, names, numbers, weekdays in English bodies) and the SemEval sample (ten
    languages and scripts)."""
    ecb = [split_title(i.text) for i in read_gnews(shared_path("datasets", "ecbplus-dev", "ecbplus-dev.jsonl"))]
    pairs = read_pairs(shared_path("datasets", "semeval2022-task8-hfl-sample", "training_set.csv"))
    return ecb + [_split(t) for p in pairs[:150] for t in (p.text1, p.text2)]


def test_an_article_side_is_what_adding_the_article_to_an_empty_side_makes():
    seen = {"places": 0, "wheres": 0, "names": 0, "numbers": 0, "days": 0, "languages": 0}
    for title, text in _texts():
        identity = extract(title, text).identity
        for has_text in (True, False):
            direct, added = side_of(identity, has_text), Side()
            added.add(identity, has_text)
            for name in SIDE_FIELDS:
                mine, theirs = getattr(direct, name), getattr(added, name)
                assert mine == theirs and type(mine) is type(theirs), name
                if isinstance(mine, (dict, set)):
                    assert list(mine) == list(theirs), name  # the same order
                    if name in seen and mine:
                        seen[name] += 1
            assert direct.headline_only == added.headline_only
            assert direct.names["no such name"] == 0  # still a Counter: a missing key counts 0
    assert all(n > 20 for n in seen.values()), seen  # every field was exercised


def test_a_light_doc_is_the_doc_with_its_texts_and_raw_counts_emptied():
    features = extract("Strike on Kharkiv kills 3 on Thursday", "Kharkiv's mayor said on Thursday 3 died.")
    doc = Doc(7, "event", 1.0e9, features, {"kharkiv": 1.0}, None, features.identity, True)
    expected = dataclasses.replace(doc, features=dataclasses.replace(features, tf={}, embed_text="", match="",
                                                                     forms={}))
    light = doc.light()
    assert light == expected and features.tf and features.match and features.forms
    for name in (f.name for f in dataclasses.fields(Doc)):
        assert getattr(light, name) == getattr(expected, name), name
    assert light.light() is light  # nothing left to strip


def test_the_candidates_weighed_and_ranked_for_duplicates_are_those_of_scoring_every_candidate():
    engine = Engine(LEXICAL, lambda _: "")
    texts: dict[int, str] = {}
    engine.text_of = texts.__getitem__
    compared = {"weighable only": 0, "all ranked": 0, "filtered out": 0}
    items = [split_title(i.text) for i in read_gnews(shared_path("datasets", "ecbplus-dev", "ecbplus-dev.jsonl"))]
    for n, (title, text) in enumerate(items, start=1):
        features = extract(title, text)
        texts[n] = features.match
        doc = engine.prepare(n, "event", n * STEP, features)
        scores = engine._scores(doc.vec, None, 1.0, "event", doc.at, bound=engine._event_bound, locked=True)
        low = Under()
        weighable = engine._scores(doc.vec, None, 1.0, "event", doc.at, bound=engine._event_bound, locked=True,
                                   floor=engine._weighed_from, below=low)
        # The candidates under the floor, met before the filters and filtered when read: those of
        # scoring every candidate, less the weighable ones.
        assert weighable == engine._weighable(scores) and weighable.keys() | low.kept().keys() == scores.keys()
        assert not weighable.keys() & low.kept().keys()
        assert all(scores[c] == (cosine, cosine, None) for c, cosine in low.kept().items())
        compared["filtered out"] += len(low.met) - len(low.kept())
        for top in (1, DUP_CANDIDATE_CLUSTERS, SCORED_CANDIDATES):
            every = sorted((-s[0], c) for c, s in scores.items() if not engine.clusters[c].locked)[:top]
            assert engine._open_top(weighable, low, top) == [c for _, c in every]
            open_weighable = sum(not engine.clusters[c].locked for c in weighable)
            compared["weighable only" if open_weighable >= top else "all ranked"] += 1
        decision = engine.assign(doc, features.match)
        if n % 25 == 0:  # some events locked: the ranking counts only open ones
            engine.clusters[decision.cluster_id].locked = True
    assert compared["weighable only"] > 100 and compared["all ranked"] > 100, compared
    assert compared["filtered out"] > 50, compared  # the window's filter ran on candidates under the floor


def _cold_scan(engine: Engine, since: float) -> set[int]:
    return {c for c in engine.cold if (engine.clusters[c].last_seen or 0.0) >= since}


def test_the_cold_events_found_by_time_are_those_a_scan_of_every_cold_event_finds():
    engine = Engine(LEXICAL, lambda _: "")
    texts: dict[int, str] = {}
    engine.text_of = texts.__getitem__
    watch = Watch()
    items = [split_title(i.text) for i in read_gnews(shared_path("datasets", "ecbplus-dev", "ecbplus-dev.jsonl"))]
    rng = random.Random(11)
    stream = list(enumerate(items, start=1))
    moved_cold = checked = 0
    for n, (title, text) in stream:
        at = n * STEP
        cold = sorted(engine.cold)
        if cold and n % 3 == 0:  # a late copy of a cold event's member: it joins that event, still cold
            event = engine.clusters[rng.choice(cold)]
            title, text = items[event.recent[0][0] - 1]
            assert event.last_seen is not None
            at = (event.last_seen + engine.cold_cut) / 2
        features = extract(title, text)
        texts[n] = features.match
        before = {c: engine.clusters[c].last_seen for c in engine.cold}
        doc = engine.prepare(n, "event", at, features)
        decision = engine.assign(doc, features.match)
        watch.observe(decision, doc)
        moved_cold += any(c in engine.cold and engine.clusters[c].last_seen != seen for c, seen in before.items())
        if n % 20 == 0:
            second_look(engine, watch)
            engine.sweep()
        for since in (at - 72 * 3600, engine.cold_cut - 3600, engine.cold_cut - 40 * 3600, float("-inf")):
            assert set(engine._cold_since(since)) == _cold_scan(engine, since)
            checked += bool(engine.cold)
    assert moved_cold > 10 and checked > 500 and engine.cold  # late articles moved cold events' times
