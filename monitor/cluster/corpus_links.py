"""Which corpus documents an event cluster relates to, with a score and the shared terms.

Corpus vectors are weighed again with the current document frequencies each time (the
corpus is usually imported first, when frequencies know little), with all their terms. A link needs the
similarity threshold and at least RELATIVE_CUT of the best link's score, so a story on
Kursk 2024 links the Kursk reports and not a history page that names Kursk in passing.
A link also needs event evidence: a place or a name the event and the document both name in
their titles and leads (shared vocabulary alone tied Sudan sanctions to Kharkiv); the reason
lists those first ("where: Kursk", "who: Syrskyi"), then the shared terms.
"""
from __future__ import annotations

import json

import numpy as np

from monitor.cluster.engine import Engine
from monitor.cluster.features import weigh
from monitor.cluster.similarity import Side, side_of
from monitor.cluster.vectors import Cluster, TermIndex
from monitor.models import ArticleIdentity

MAX_LINKS = 5
RELATIVE_CUT = 0.5
LINK_TERMS = 6


class CorpusIndex:
    def __init__(self, engine: Engine, rows: list[tuple[int, dict[str, float], np.ndarray | None]],
                 identities: dict[int, ArticleIdentity] | None = None) -> None:
        self.engine = engine
        self.sides = {aid: side_of(identity) for aid, identity in (identities or {}).items()}
        # Whole: a corpus document is a long report (title and 400 words, a few hundred terms), and cut to its
        # MAX_TERMS heaviest the shared words that decide a link came and went with the weights (with
        # stemmed terms the Kursk story's second Kursk report fell to 0.087 against the 0.090 cut).
        self.vectors = {aid: weigh(tf, engine.df, engine.docs, limit=None) for aid, tf, _ in rows}
        self.embs = {aid: emb for aid, _, emb in rows if emb is not None}
        self.index = TermIndex()
        for aid, vec in self.vectors.items():
            self.index.add(aid, vec)

    @classmethod
    def from_store(cls, engine: Engine, stored: list[tuple], extra: list[tuple],
                   identities: dict[int, ArticleIdentity]) -> CorpusIndex:
        from monitor.cluster.state import unpack_emb

        rows = [(aid, json.loads(tf), unpack_emb(emb)) for aid, tf, emb in stored]
        return cls(engine, rows + extra, identities)

    def shared_identity(self, cluster: Cluster, aid: int) -> list[str]:
        """The places and telling names both name: "where: Kursk", "who: Syrskyi"."""
        side = self.sides.get(aid) or Side()
        where = [f"where: {side.place_names[p]}" for p in side.places if p in cluster.side.places]
        who = [f"who: {n}" for n in sorted(side.names) if n in cluster.side.names and self.engine.name_weight(n) >= 1.0]
        return where + who[:3]

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
            evidence = self.shared_identity(cluster, aid)
            if not evidence:
                continue  # shared vocabulary, no shared who or where: not the same event
            vec = self.vectors[aid]
            shared = sorted(((centroid[t] * q, t) for t, q in vec.items()
                             if t in centroid and self.engine.telling(t)), reverse=True)
            out.append((aid, score, evidence + [t for _, t in shared[:LINK_TERMS]]))
        return out
