"""Which corpus documents an event cluster relates to, with a score and the shared terms.

Corpus vectors are weighed again with the current document frequencies each time (the
corpus is usually imported first, when frequencies know little). A link needs the
similarity threshold and at least RELATIVE_CUT of the best link's score, so a story on
Kursk 2024 links the Kursk reports and not a history page that names Kursk in passing.
"""
from __future__ import annotations

import json

import numpy as np

from monitor.cluster.engine import Engine
from monitor.cluster.features import weigh
from monitor.cluster.vectors import Cluster, TermIndex

MAX_LINKS = 5
RELATIVE_CUT = 0.5
LINK_TERMS = 6


class CorpusIndex:
    def __init__(self, engine: Engine, rows: list[tuple[int, dict[str, float], np.ndarray | None]]) -> None:
        self.engine = engine
        self.vectors = {aid: weigh(tf, engine.df, engine.docs) for aid, tf, _ in rows}
        self.embs = {aid: emb for aid, _, emb in rows if emb is not None}
        self.index = TermIndex()
        for aid, vec in self.vectors.items():
            self.index.add(aid, vec)

    @classmethod
    def from_store(cls, engine: Engine, stored: list[tuple], extra: list[tuple]) -> CorpusIndex:
        from monitor.cluster.state import unpack_emb

        rows = [(aid, json.loads(tf), unpack_emb(emb)) for aid, tf, emb in stored]
        return cls(engine, rows + extra)

    def links(self, cluster: Cluster, threshold: float) -> list[tuple[int, float, list[str]]]:
        if not self.vectors or not cluster.norm:
            return []
        centroid = {t: w / cluster.norm for t, w in cluster.vec.items()}
        dots = self.index.dots(centroid)
        w = self.engine.weight
        emb_sum = self.engine.emb["event"].get(cluster.id) if w else None
        scored = []
        for aid in set(dots) | (set(self.embs) if emb_sum is not None else set()):
            lexical = score = dots.get(aid, 0.0)
            if emb_sum is not None and aid in self.embs:
                score = w * Cluster.emb_cosine(emb_sum, self.embs[aid]) + (1 - w) * lexical
            scored.append((score, lexical, aid))
        scored.sort(key=lambda s: (-s[0], s[2]))
        if not scored or scored[0][0] < threshold:
            return []
        # Both cuts: embeddings find every war report "related"; shared terms tell the event.
        cut = max(threshold, scored[0][0] * RELATIVE_CUT)
        lexical_cut = max(lexical for _, lexical, _ in scored) * RELATIVE_CUT
        out = []
        for score, lexical, aid in scored[:MAX_LINKS]:
            if score < cut or lexical < lexical_cut:
                continue
            vec = self.vectors[aid]
            shared = sorted(((centroid[t] * q, t) for t, q in vec.items()
                             if t in centroid and self.engine.telling(t)), reverse=True)
            out.append((aid, score, [t for _, t in shared[:LINK_TERMS]]))
        return out
