"""Which corpus documents an event cluster relates to, with a score and the shared terms.

Corpus vectors are weighed again with the current document frequencies each time (the
corpus is usually imported first, when frequencies know little), with all their terms. A link needs the
similarity threshold and at least RELATIVE_CUT of the best link's score, so a story on
Kursk 2024 links the Kursk reports and not a history page that names Kursk in passing.
A link also needs event evidence: a place or a name the event and the document both name in
their titles and leads (shared vocabulary alone tied Sudan sanctions to Kharkiv); the reason
lists those first ("where: Kursk", "who: Syrskyi"), then the shared terms.

Across languages (an event none of whose members is in the document's language) no term is
shared, so the words cannot confirm a link. There a link stands on the evidence alone, read as the
across-languages rule reads it (across_languages.py): the same where-it-happened city, and a
telling name both name, matched across scripts (Синєгубов = Syniehubov); and, where the
document has them, its date within ACROSS_HOURS of the event and a toll in common. Its reason names
each part: "where: Kharkiv", "who: Syniehubov", "when: 3 h apart", "toll: 3", "across languages:
uk event, en document". Its score is the words' own (near 0 across scripts).
"""
from __future__ import annotations

import json
from typing import Callable

import numpy as np

from monitor.cluster.across_languages import names_in_common
from monitor.cluster.engine import Engine
from monitor.cluster.features import weigh
from monitor.cluster.similarity import Side, main_where, side_of
from monitor.cluster.vectors import Cluster, TermIndex
from monitor.models import ArticleIdentity

MAX_LINKS = 5
RELATIVE_CUT = 0.5
LINK_TERMS = 6
ACROSS_HOURS = 24.0  # a dated document this far from every member's time reports another day


class CorpusIndex:
    def __init__(self, engine: Engine, rows: list[tuple[int, dict[str, float], np.ndarray | None]],
                 identities: dict[int, ArticleIdentity] | None = None, dates: dict[int, float] | None = None,
                 tolls_of: Callable[[list[int]], frozenset[str]] | None = None) -> None:
        """`dates`: the documents' publication times (epoch seconds) where known; `tolls_of`: article
        ids -> the counts of people they state (across_languages.tolls)."""
        self.engine = engine
        self.identities = identities or {}
        self.sides = {aid: side_of(identity) for aid, identity in self.identities.items()}
        self.dates = dates or {}
        self.by_where: dict[int, list[int]] = {}  # where a document says it happened -> those documents
        for aid in sorted(self.sides):
            if (here := main_where(self.sides[aid])) is not None:
                self.by_where.setdefault(here, []).append(aid)
        self.tolls_of = tolls_of or engine.tolls_of
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
                   identities: dict[int, ArticleIdentity], dates: dict[int, float] | None = None,
                   tolls_of: Callable[[list[int]], frozenset[str]] | None = None) -> CorpusIndex:
        from monitor.cluster.state import unpack_emb

        rows = [(aid, json.loads(tf), unpack_emb(emb)) for aid, tf, emb in stored]
        return cls(engine, rows + extra, identities, dates, tolls_of)

    def shared_identity(self, cluster: Cluster, aid: int) -> list[str]:
        """The places and telling names both name: "where: Kursk", "who: Syrskyi"."""
        side = self.sides.get(aid) or Side()
        where = [f"where: {side.place_names[p]}" for p in side.places if p in cluster.side.places]
        who = [f"who: {n}" for n in sorted(side.names) if n in cluster.side.names and self.engine.name_weight(n) >= 1.0]
        return where + who[:3]

    def across(self, cluster: Cluster, aid: int) -> list[str] | None:
        """The evidence that a document in another language than every member's reports this event
        (the module's docstring), each part named; None when a part is missing or disagrees."""
        side, identity = self.sides.get(aid), self.identities.get(aid)
        event = cluster.side
        if side is None or identity is None or not side.language or side.language in event.languages \
                or not event.languages:
            return None
        here = main_where(side)
        if here is None or here != main_where(event):
            return None
        who = names_in_common(identity.names, event, self.engine.telling_name)
        if not who:
            return None
        parts = [f"where: {side.place_names[here]}", f"who: {', '.join(who[:3])}"]  # one part: the pane shows four
        at = self.dates.get(aid)
        if at is not None and cluster.first_seen is not None and cluster.last_seen is not None:
            hours = max(cluster.first_seen - at, at - cluster.last_seen, 0.0) / 3600
            if hours > ACROSS_HOURS:
                return None
            parts.append(f"when: {hours:.0f} h apart")
        if mine := self.tolls_of([aid]):
            members = self.engine.members_near(cluster, at, ACROSS_HOURS * 3600) if at is not None \
                else self.engine.members_near(cluster, 0.0, float("inf"))
            if theirs := self.tolls_of(members):
                if not mine & theirs:
                    return None  # both state a toll, and not the same one: another strike
                parts.append(f"toll: {', '.join(sorted(mine & theirs, key=float))}")
        return parts + [f"across languages: {event.language} event, {side.language} document"]

    def links(self, cluster: Cluster, threshold: float) -> list[tuple[int, float, list[str]]]:
        """The documents this event relates to: (article id, score, reason), those the words confirm
        first, then those in another language that the evidence alone links (scored by their words)."""
        words = self._word_links(cluster, threshold)
        linked = {aid for aid, _, _ in words}
        here = main_where(cluster.side)
        found = [(aid, parts) for aid in (self.by_where.get(here, []) if here is not None else [])
                 if aid not in linked and aid in self.vectors and (parts := self.across(cluster, aid)) is not None]
        if not found:
            return words
        dots = self.index.dots({t: w / cluster.norm for t, w in cluster.vec.items()}) if cluster.norm else {}
        across = sorted(((aid, dots.get(aid, 0.0), parts) for aid, parts in found), key=lambda link: (-link[1], link[0]))
        return (words + across)[:MAX_LINKS]

    def _word_links(self, cluster: Cluster, threshold: float) -> list[tuple[int, float, list[str]]]:
        """Links confirmed by the words: shared terms (or the embedding) and a shared who or where."""
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
