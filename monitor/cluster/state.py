"""Rebuild the in-memory engine from SQLite (the source of truth), and keep it per database.

Only what the window can still reach is loaded: corpus clusters and the event clusters
seen within twice the window of the newest article, so a rebuild costs the window, not
the corpus. A cached engine is reused while the cluster generation it was built at is
still current.
"""
from __future__ import annotations

import json
import threading
from array import array
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import numpy as np

from monitor.cluster.consolidate import Roster
from monitor.cluster.engine import Engine
from monitor.cluster.features import Features
from monitor.cluster.gc_pause import collector_paused
from monitor.cluster.refine import Watch
from monitor.cluster.vectors import NO_IDENTITY, Cluster, Doc
from monitor.cluster_settings import ClusterSettings
from monitor.store import clusters as store
from monitor.store.db import database_file
from monitor.store.identity import articles_with_text, member_identities
from monitor.timeutil import to_iso


def pack_sketch(sketch: tuple[int, ...]) -> bytes:
    return array("I", sketch).tobytes()


def unpack_sketch(blob: bytes) -> tuple[int, ...]:
    values = array("I")
    values.frombytes(blob)
    return tuple(values)


def unpack_emb(blob: bytes | None) -> np.ndarray | None:
    return None if blob is None else np.frombuffer(blob, dtype=np.float32).copy()


def build_engine(db, settings: ClusterSettings, use_embeddings: bool, text_of: Callable[[int], str]) -> Engine:
    return _build(db, settings, use_embeddings, text_of)[0]


def _build(db, settings: ClusterSettings, use_embeddings: bool,
           text_of: Callable[[int], str]) -> tuple[Engine, dict[int, Doc]]:
    """The engine and its members' docs (the second look's watch is restored from them)."""
    engine = Engine(settings, text_of, use_embeddings=use_embeddings)
    engine.df, engine.docs = store.document_frequencies(db)
    engine.next_cluster_id = store.max_cluster_id(db) + 1
    horizon = store.max_time(db)
    since = None
    if horizon is not None:
        engine.horizon = horizon
        cut = horizon - 2 * settings.window_hours * 3600
        since = to_iso(datetime.fromtimestamp(cut, timezone.utc))
    docs = load_clusters(db, engine, since)
    # The split pass's memory (Engine.apart), as split_off stored it: only pairs the window reaches.
    engine.apart = {pair for pair in store.split_pairs(db) if all(c in engine.clusters for c in pair)}
    return engine, docs


def load_clusters(db, engine: Engine, since: str | None) -> dict[int, Doc]:
    """Add the clusters active since `since` (every one for None), with their members, to the engine;
    the members' docs by article id."""
    rows = store.active_clusters(db, since)
    for row in rows:
        engine.add_cluster(Cluster(id=row["id"], kind=row["kind"], locked=bool(row["locked"]),
                                   pinned=bool(row["pinned"])))
    ids = [r["id"] for r in rows]
    identities = member_identities(db, ids)
    members = list(store.member_vectors(db, ids))
    with_text = articles_with_text(db, [m[1] for m in members])
    docs: dict[int, Doc] = {}
    for cid, article_id, kind, at, _tf, vec, sketch, emb in members:
        features = Features(tf={}, sketch=unpack_sketch(sketch), embed_text="", has_text=article_id in with_text)
        docs[article_id] = Doc(article_id, kind, at, features, json.loads(vec), unpack_emb(emb),
                               identities.get(article_id, NO_IDENTITY))
        engine.add_member(engine.clusters[cid], docs[article_id])
    return docs


@dataclass
class CachedEngine:
    key: tuple
    generation: int
    engine: Engine
    watch: Watch = field(default_factory=Watch)  # members waiting for a second look (cluster/refine.py)
    roster: Roster = field(default_factory=Roster)  # the events' newest members' docs (cluster/consolidate.py)


_cache: dict[tuple, CachedEngine] = {}
_cache_lock = threading.Lock()


def cached_engine(db, settings: ClusterSettings, use_embeddings: bool,
                  text_of: Callable[[int], str]) -> CachedEngine:
    """The engine for this database at its current generation (rebuilt when stale)."""
    path = database_file(db)
    key = (path, settings, use_embeddings)
    current = store.generation(db)
    with _cache_lock:
        entry = _cache.get(key) if path else None
        if entry is None or entry.generation != current:
            with collector_paused():  # the rebuild allocates the whole engine (gc_pause.py)
                engine, docs = _build(db, settings, use_embeddings, text_of)
                entry = CachedEngine(key, current, engine, Watch.restore(store.watched_members(db), docs),
                                     Roster.restore(docs))
            if path:
                _cache[key] = entry
        entry.engine.text_of = text_of
        return entry


def forget(entry: CachedEngine) -> None:
    with _cache_lock:
        if _cache.get(entry.key) is entry:
            del _cache[entry.key]
