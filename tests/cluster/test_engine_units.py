"""The clustering engine and its term index as pure units: no SQLite, no model, no network."""
from __future__ import annotations

import math
import random

from monitor.cluster.engine import Engine
from monitor.cluster.features import extract
from monitor.cluster.vectors import Cluster, Doc, TermIndex
from monitor.cluster_settings import ClusterSettings

LEXICAL = ClusterSettings(embedding="off")
HOUR = 3600.0


def unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
    return {t: w / norm for t, w in vec.items()}


def random_vectors(rng: random.Random, count: int, vocabulary: int = 60, size: int = 8) -> list[dict[str, float]]:
    words = [f"w{i}" for i in range(vocabulary)]
    return [unit({t: rng.random() for t in rng.sample(words, size)}) for _ in range(count)]


def brute_dots(clusters: dict[int, dict[str, float]], vec: dict[str, float]) -> dict[int, float]:
    return {cid: sum(q * c.get(t, 0.0) for t, q in vec.items()) for cid, c in clusters.items()}


def test_term_index_dot_products_are_exact_and_removal_forgets():
    rng = random.Random(1)
    index, sums = TermIndex(), {}
    for cid, vec in enumerate(random_vectors(rng, 40)):
        index.add(cid % 15, vec)  # several members per cluster: postings hold sums
        total = sums.setdefault(cid % 15, {})
        for t, w in vec.items():
            total[t] = total.get(t, 0.0) + w
    for probe in random_vectors(rng, 20):
        expected = {cid: d for cid, d in brute_dots(sums, probe).items() if d}
        got = index.dots(probe)
        assert got.keys() == expected.keys()
        assert all(math.isclose(got[c], expected[c], abs_tol=1e-12) for c in got)
    index.remove(3, sums.pop(3))
    assert 3 not in index.dots({t: 1.0 for t in (f"w{i}" for i in range(60))})


def test_term_index_bound_keeps_every_cluster_that_can_reach_it():
    rng = random.Random(2)
    index, sums = TermIndex(), {}
    for cid, vec in enumerate(random_vectors(rng, 300, vocabulary=30, size=10)):
        index.add(cid, vec)
        sums[cid] = vec
    for probe in random_vectors(rng, 30, vocabulary=30, size=10):
        for bound in (0.2, 0.4, 0.6):
            expected = brute_dots(sums, probe)
            got = index.dots(probe, bound)
            must = {cid for cid, d in expected.items() if d >= bound}  # unit clusters: norm 1
            assert must <= got.keys()
            assert all(math.isclose(got[c], expected[c], abs_tol=1e-12) for c in got)  # exact when returned


class Newsroom:
    """An engine fed the way assign_pending feeds it, with texts kept in memory."""

    def __init__(self, settings: ClusterSettings = LEXICAL) -> None:
        self.texts: dict[int, str] = {}
        self.engine = Engine(settings, self.texts.__getitem__)
        self.next_id = 1

    def add(self, title: str, text: str = "", at: float | None = 0.0, kind: str = "event"):
        article_id, self.next_id = self.next_id, self.next_id + 1
        features = extract(title, text)
        self.texts[article_id] = features.match
        doc = self.engine.prepare(article_id, kind, None if kind == "corpus" else at, features)  # type: ignore[arg-type]
        return self.engine.assign(doc, features.match)


KURSK = ("Ukrainian troops advance in Kursk region near Sudzha",
         "Ukrainian forces pushed deeper into the Kursk region on Tuesday, taking villages around Sudzha, "
         "the regional governor said, as Russian reserves moved towards the border.")


def test_a_copy_is_a_duplicate_and_a_related_story_joins_the_event():
    room = Newsroom()
    first = room.add(*KURSK)
    assert first.new_cluster
    copy = room.add(*KURSK, at=HOUR)
    assert copy.cluster_id == first.cluster_id and copy.dup_of == first.article_id
    related = room.add("Kursk: Ukrainian forces advance near Sudzha, governor says",
                       "Ukrainian forces advanced in the Kursk region near Sudzha on Tuesday, the governor said.",
                       at=2 * HOUR)
    assert related.cluster_id == first.cluster_id and related.dup_of is None
    assert {"kursk", "sudzha"} & set(related.terms)
    other = room.add("Central bank raises interest rates to curb inflation",
                     "The central bank raised its key rate by half a point, citing stubborn inflation.", at=3 * HOUR)
    assert other.new_cluster and other.cluster_id != first.cluster_id


def test_a_locked_cluster_takes_no_member_and_an_old_one_is_out_of_the_window():
    room = Newsroom()
    first = room.add(*KURSK)
    room.engine.clusters[first.cluster_id].locked = True
    follow = room.add(*KURSK, at=HOUR)  # belongs to the locked event: proposed to it, not filed
    assert follow.cluster_id == first.cluster_id and follow.proposed
    assert room.engine.clusters[first.cluster_id].size == 1
    late = Newsroom()
    opened = late.add(*KURSK)
    later = late.add(*KURSK, at=(LEXICAL.window_hours + 1) * HOUR)
    assert later.cluster_id != opened.cluster_id


def test_corpus_documents_stay_apart_unless_they_are_copies():
    room = Newsroom()
    one = room.add(*KURSK, kind="corpus")
    near = room.add("Kursk: Ukrainian forces advance near Sudzha, governor says",
                    "Ukrainian forces advanced in the Kursk region near Sudzha on Tuesday.", kind="corpus")
    copy = room.add(*KURSK, kind="corpus")
    assert near.cluster_id != one.cluster_id
    assert copy.cluster_id == one.cluster_id and copy.dup_of == one.article_id
    assert {c.kind for c in room.engine.clusters.values()} == {"corpus"}


def test_the_same_articles_in_the_same_order_give_the_same_decisions():
    stories = [KURSK, ("Central bank raises interest rates", "The central bank raised its key rate again."),
               ("Kursk offensive: Ukrainian troops near Sudzha", "Troops advanced in Kursk near Sudzha.")]
    runs = []
    for _ in range(2):
        room = Newsroom()
        runs.append([room.add(title, text, at=i * HOUR) for i, (title, text) in enumerate(stories * 3)])
    assert runs[0] == runs[1]


def test_cluster_sums_and_absorb_keep_the_norm_consistent():
    rng = random.Random(3)
    a, b = Cluster(1), Cluster(2)
    for i, vec in enumerate(random_vectors(rng, 6)):
        (a if i % 2 else b).add(Doc(i, "event", float(i), extract(f"t{i}", ""), vec))
        cluster = a if i % 2 else b
        assert math.isclose(cluster.norm, math.sqrt(sum(w * w for w in cluster.vec.values())))
    a.absorb(b)
    assert math.isclose(a.norm, math.sqrt(sum(w * w for w in a.vec.values())))
    assert a.size == 6 and a.last_seen == 5.0
