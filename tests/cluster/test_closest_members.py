"""The headline embedding against an event's closest members, beside its summed embedding: a story
told in many words keeps the part an article tells close, however far the sum has moved."""
from __future__ import annotations

import numpy as np

from monitor.cluster import similarity
from monitor.cluster.embed import DIMENSIONS
from monitor.cluster.engine import Engine
from monitor.cluster.features import extract
from monitor.cluster.vectors import CLOSEST, CLOSEST_KEPT, Cluster, Doc
from monitor.cluster_settings import ClusterSettings


def axis(*weights: tuple[int, float]) -> np.ndarray:
    """A unit vector along a few of the embedding's axes."""
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    for i, w in weights:
        vector[i] = w
    return vector / np.linalg.norm(vector)


def story(engine: Engine, parts: list[np.ndarray]) -> Cluster:
    """An event whose members tell different parts of one story, one headline each."""
    cluster = Cluster(id=engine.next_cluster_id)
    engine.add_cluster(cluster)
    for n, emb in enumerate(parts):
        features = extract(f"Part {n} of the vote on independence", "")
        engine.add_member(cluster, engine.prepare(100 + n, "event", 0.0, features, emb))
    return cluster


def test_closest_cosine_averages_the_few_most_similar_members():
    cluster = Cluster(id=1)
    assert cluster.closest_cosine(axis((0, 1.0))) is None  # no member embeddings: nothing to compare
    for n in range(10):
        cluster.remember_emb(n, axis((n, 1.0)))
    probe = axis(*((n, 1.0) for n in range(CLOSEST)))  # as close to the first CLOSEST, orthogonal to the rest
    assert CLOSEST < 10
    assert np.isclose(cluster.closest_cosine(probe), 1 / np.sqrt(CLOSEST), atol=1e-6)
    cluster.remember_emb(10, probe)  # the rows are stacked again after a change
    assert np.isclose(cluster.closest_cosine(probe), (1 + (CLOSEST - 1) / np.sqrt(CLOSEST)) / CLOSEST, atol=1e-6)
    alone = Cluster(id=2)
    alone.remember_emb(1, axis((5, 1.0)))
    assert np.isclose(alone.closest_cosine(axis((5, 1.0), (6, 1.0))), 1 / np.sqrt(2), atol=1e-6)


def test_only_the_newest_members_are_kept_also_across_a_merge():
    older, newer = Cluster(id=1), Cluster(id=2)
    for n in range(CLOSEST_KEPT):
        older.remember_emb(n, axis((0, 1.0)))
        newer.remember_emb(1000 + n, axis((1, 1.0)))
    older.remember_emb(CLOSEST_KEPT, axis((2, 1.0)))
    assert [a for a, _ in older.member_embs][0] == 1  # the oldest left
    older.absorb(newer)
    assert [a for a, _ in older.member_embs] == [1000 + n for n in range(CLOSEST_KEPT)]
    assert np.isclose(older.closest_cosine(axis((1, 1.0))), 1.0, atol=1e-6)


def test_an_article_close_to_a_part_of_a_diluted_story_scores_above_its_sum():
    engine = Engine(ClusterSettings(embedding="on"), text_of=lambda _: "", use_embeddings=True)
    parts = [axis((n % 6, 1.0), (40, 0.6)) for n in range(6 * CLOSEST)]  # six parts of a story, CLOSEST headlines each
    assert len(parts) <= CLOSEST_KEPT
    cluster = story(engine, parts)
    article = axis((0, 1.0), (40, 0.6))  # tells part 0, as CLOSEST members did
    summed = engine.emb["event"].get(cluster.id)
    semantic = cluster.emb_cosine(summed, article)
    side = similarity.side_of(extract("Part 0 of the vote on independence", "").identity, has_text=False)
    with_members, ev = engine.judge(side, 0.0, cluster, 0.3, semantic, engine.closest(cluster, semantic, article))
    without, plain = engine.judge(side, 0.0, cluster, 0.3, semantic)
    closest = ev.values["embedding_closest"]
    assert np.isclose(closest, 1.0 - semantic, atol=1e-5)  # its closest members are its own part
    assert plain.values["embedding_closest"] == 0.0  # none given: none counted
    assert engine.model.weights["embedding_closest"] > 0
    assert with_members > without
    assert "closest members" in similarity.explain(engine.model, ev, limit=10)


def test_against_a_one_article_event_the_closest_member_is_the_sum():
    engine = Engine(ClusterSettings(embedding="on"), text_of=lambda _: "", use_embeddings=True)
    cluster = story(engine, [axis((3, 1.0))])
    article = axis((3, 1.0), (4, 1.0))
    semantic = cluster.emb_cosine(engine.emb["event"].get(cluster.id), article)
    _, ev = engine.judge(similarity.Side(), 0.0, cluster, 0.2, semantic, engine.closest(cluster, semantic, article))
    assert abs(ev.values["embedding_closest"]) < 1e-6  # pairs (SemEval) and new events keep the old evidence
    lexical = Engine(ClusterSettings(embedding="off"), text_of=lambda _: "")
    doc = lexical.prepare(1, "event", 0.0, extract("A headline", ""), None)
    assert isinstance(doc, Doc) and "embedding_closest" not in lexical.model.weights  # TF-IDF alone: no embedding


def test_only_an_event_near_the_headline_counts_its_closest_members_and_the_ceiling_bounds_them():
    engine = Engine(ClusterSettings(embedding="on"), text_of=lambda _: "", use_embeddings=True)
    parts = [axis((n % 6, 1.0), (40, 0.6)) for n in range(6 * CLOSEST)]
    cluster = story(engine, parts)
    article = axis((0, 1.0), (40, 0.6))
    assert engine.closest(cluster, engine.event_threshold - 0.01, article) is None  # neither index would find it
    assert engine.closest(cluster, None, article) is None  # a side without embedding
    semantic = cluster.emb_cosine(engine.emb["event"].get(cluster.id), article)
    closest = engine.closest(cluster, semantic, article)
    assert closest is not None and np.isclose(closest, 1.0, atol=1e-5)
    side = similarity.side_of(extract("Part 0 of the vote on independence", "").identity, has_text=False)
    _, ev = engine.judge(side, 0.0, cluster, 0.3, semantic, closest)
    assert engine.model.logit(ev.values) <= engine.ceiling(0.3, semantic, closest)
    assert engine.ceiling(0.3, semantic, closest) > engine.ceiling(0.3, semantic)


def test_a_piece_of_a_story_merges_into_it_on_its_closest_members():
    """Two events: a story told in six parts, and a small event telling one of them in other
    words. Against the story's sum the piece is far; against the members telling its part it is
    close, which carries the merge (as Engine._merge_neighbours judges it: the piece's summed
    embedding as its headline)."""
    engine = Engine(ClusterSettings(embedding="on"), text_of=lambda _: "", use_embeddings=True)
    whole = story(engine, [axis((n % 6, 1.0), (40, 0.6)) for n in range(6 * CLOSEST)])
    piece = story(engine, [axis((0, 1.0), (40, 0.6)), axis((0, 1.0), (40, 0.6))])
    summed = engine.emb["event"].get(piece.id)
    semantic = whole.emb_cosine(engine.emb["event"].get(whole.id), summed)
    bar = engine.settings.merge_probability
    closest = engine.closest(whole, semantic, summed)
    with_members, _ = engine.judge(piece.side, 0.0, whole, 0.1, semantic, closest)
    without, _ = engine.judge(piece.side, 0.0, whole, 0.1, semantic)
    assert without < bar <= with_members
