"""Minimum evidence for a join: a shared telling term, not a cosine floor against the event's words.

An event's summed words spread as it grows, so the cosine of an article sharing its terms falls
with the event's size; the fit weighs how much is shared. An embedding alone still files nothing.
Pure units: synthetic embeddings, no model, no SQLite."""
from __future__ import annotations

import math

import numpy as np

from monitor.cluster import similarity
from monitor.cluster.embed import DIMENSIONS
from monitor.cluster.engine import Engine
from monitor.cluster.features import extract
from monitor.cluster.vectors import Cluster
from monitor.cluster_settings import ClusterSettings

SETTINGS = ClusterSettings()
# Bare headlines on one broad story, each in its own words but for the first one's "volcano".
EVENT = ["volcano erupts over coastal island villages"] + [
    f"{a} {b} {c} {d}" for a, b, c, d in zip(
        "airline airport runway flights pilots cargo tourists travel ferry hotels harbour crews "
        "schools shelters farmers markets ports traders insurers rescuers".split(),
        "delays closures queues refunds stranded diverted grounded cancelled postponed rerouted "
        "waiting halted suspended reopened evacuated flooded damaged rebuilt counted searched".split(),
        "northern southern eastern western central coastal inland upland lowland harbour "
        "mountain valley river border capital island desert forest lakeside village".split(),
        "monday evening morning overnight weekend afternoon tonight lately recently yesterday "
        "sunday friday tuesday midday dawn dusk noon later earlier today".split())]


def direction(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)


def toward(base: np.ndarray, cosine: float, seed: int) -> np.ndarray:
    """A unit vector at `cosine` from `base`."""
    other = direction(seed)
    other -= float(other @ base) * base
    other /= np.linalg.norm(other)
    return (cosine * base + math.sqrt(1 - cosine * cosine) * other).astype(np.float32)


def newsroom() -> tuple[Engine, Cluster, np.ndarray, dict[int, str]]:
    texts: dict[int, str] = {}
    engine = Engine(SETTINGS, texts.__getitem__, use_embeddings=True)
    story = direction(1)
    cluster = Cluster(id=engine.next_cluster_id)
    engine.add_cluster(cluster)
    for article_id, title in enumerate(EVENT, start=1):
        features = extract(title, "")
        texts[article_id] = features.match
        engine.add_member(cluster, engine.prepare(article_id, "event", 0.0, features, story))
    return engine, cluster, story, texts


def assign(room: tuple[Engine, Cluster, np.ndarray, dict[int, str]], title: str, cosine: float):
    """(the article's term cosine with the event before it is placed, the decision)."""
    engine, cluster, story, texts = room
    features = extract(title, "")
    article_id = len(texts) + 1
    texts[article_id] = features.match
    doc = engine.prepare(article_id, "event", 0.0, features, toward(story, cosine, article_id))
    lexical = sum(q * cluster.vec.get(t, 0.0) for t, q in doc.vec.items()) / cluster.norm
    return lexical, engine.assign(doc, features.match)


def test_an_article_sharing_a_big_events_term_joins_it_under_the_old_cosine_floor():
    room = newsroom()
    cluster = room[1]
    lexical, decision = assign(room, "volcano ash cloud spreads", 0.6)
    assert 0.0 < lexical < similarity.MIN_TERMS  # the old floor refused it
    assert decision.cluster_id == cluster.id and not decision.new_cluster
    assert "volcano" in decision.terms


def test_an_embedding_alone_files_nothing():
    room = newsroom()
    cluster = room[1]
    lexical, decision = assign(room, "lava glows above sleeping town", 0.9)
    assert lexical == 0.0
    assert decision.new_cluster and decision.cluster_id != cluster.id
    assert "no event shares enough telling content terms" in decision.reason


def test_no_join_is_lost_under_the_term_index_cut():
    """Without a close embedding (under the event threshold) a candidate under MIN_TERMS cannot reach
    the join bar, whatever its other evidence: the term index may leave it out."""
    for embeddings in (True, False):
        model = similarity.model(embeddings)
        w = model.weights
        by_embedding = {"embedding", "embedding_headline", "embedding_text", "embedding_in_conflict"}
        by_terms = {"terms_headline", "terms_in_conflict", "terms_where_conflict"}
        other = sum(max(0.0, v) for k, v in w.items()
                    # the event's closest members count only at or above the event threshold (Engine._near)
                    if k not in by_embedding | by_terms | {"terms", "no_embedding", "time_gap", "embedding_closest"})
        slope = w.get("terms", 0.0) + sum(max(0.0, w.get(k, 0.0)) for k in by_terms)
        close = sum(max(0.0, w.get(k, 0.0)) for k in by_embedding) * SETTINGS.event_threshold
        most = max(close, max(0.0, w.get("no_embedding", 0.0))) if embeddings else 0.0
        bar = math.log(SETTINGS.join_probability / (1 - SETTINGS.join_probability))
        assert model.intercept + slope * similarity.MIN_TERMS + most + other < bar
