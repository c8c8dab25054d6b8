"""Sparse term vectors of clusters and the inverted index that finds candidate clusters."""
from __future__ import annotations

import math
from collections.abc import Iterable
from collections import Counter, defaultdict
from itertools import chain, compress
from dataclasses import dataclass, field

import numpy as np

from monitor.vocab import ClusterKind

from monitor.cluster.features import Features
from monitor.cluster.similarity import Side
from monitor.models import ArticleIdentity

NO_IDENTITY = ArticleIdentity("")

RECENT_MEMBERS = 200  # members kept for duplicate checks (newest); older copies are rare
CLOSEST_KEPT = 32  # newest members whose headline embeddings are kept for the closest-members cosine
CLOSEST = 5  # how many of the event's most similar members that cosine averages
PROBE_TERMS = 30  # centroid terms used to find merge candidates
SHORT_POSTING = 4  # postings this short are read in full by every probe



def dot(vec: dict[str, float], other: dict[str, float]) -> float:
    """Two sparse term vectors' dot product (the cosine of unit vectors), summed over `vec`."""
    return sum(q * other.get(t, 0.0) for t, q in vec.items())

@dataclass(frozen=True)
class Doc:
    """One article as the engine sees it."""

    article_id: int
    kind: ClusterKind  # 'event' (feed articles) | 'corpus'
    at: float | None  # epoch seconds; None for corpus documents
    features: Features
    vec: dict[str, float]  # unit TF-IDF vector
    emb: np.ndarray | None = None
    identity: ArticleIdentity = NO_IDENTITY
    old: bool = False  # published long before the newest article: filed with nothing current

    def light(self) -> Doc:
        """The article as kept in memory after its decision (a split's members, a second look's
        watch, the consolidation's roster), as an engine rebuilt from SQLite has it: its vectors,
        sketch and identity, without the texts and raw counts a decision read."""
        f = self.features
        if not f.tf and not f.embed_text and not f.match:
            return self
        # Built directly: dataclasses.replace, twice, cost 3% of the deciding loop. Every other
        # field is carried over (tests/cluster/test_light_docs.py checks each one).
        return Doc(self.article_id, self.kind, self.at,
                   Features({}, f.sketch, "", identity=f.identity, has_text=f.has_text),
                   self.vec, self.emb, self.identity, self.old)


@dataclass(slots=True)  # its fields read by offset, not through a dict per cluster: the scoring loops read
class Cluster:          # a few of every candidate's (norm, kind, lock, times)
    id: int
    kind: ClusterKind = "event"
    vec: dict[str, float] = field(default_factory=dict)  # sum of member vectors
    norm: float = 0.0
    size: int = 0
    last_seen: float | None = None
    recent: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)  # (article id, sketch)
    shingles: dict[int, list[int]] = field(default_factory=dict)  # sketch hash -> recent members holding it
    locked: bool = False  # analyst: automatic assignment never changes it
    pinned: bool = False  # holds analyst corrections: never merged automatically
    first_seen: float | None = None
    side: Side = field(default_factory=Side)  # places, names, numbers, languages its members name
    member_embs: list[tuple[int, int]] = field(default_factory=list)  # (article id, its row in _units), oldest first
    _units: np.ndarray | None = field(default=None, repr=False)  # the kept members' embeddings as unit rows
    # The terms top_terms last gave and every term a member added to since: the next top terms are
    # among them (the others' weights did not change, and the terms ahead of them only grew).
    _probe: set[str] | None = field(default=None, repr=False, compare=False)

    def remember_emb(self, article_id: int, emb: np.ndarray) -> None:
        """Keep a member's headline embedding (the newest CLOSEST_KEPT), in place of the oldest's row."""
        if len(self.member_embs) < CLOSEST_KEPT:
            row = len(self.member_embs)
            if self._units is None or row == len(self._units):  # grown as needed: most events stay small
                grown = np.zeros((min(CLOSEST_KEPT, max(2, 2 * row)), len(emb)), dtype=np.float32)
                if self._units is not None:
                    grown[:row] = self._units
                self._units = grown
        else:
            _, row = self.member_embs.pop(0)
        self.member_embs.append((article_id, row))
        assert self._units is not None
        norm = float(np.linalg.norm(emb))
        self._units[row] = emb / norm if norm else emb

    def closest_cosine(self, emb: np.ndarray) -> float | None:
        """The mean cosine of the CLOSEST members (of the newest CLOSEST_KEPT) most similar to emb:
        a story told in many words has a summed embedding far from each new headline, while
        the few members telling the same part of it stay close. None without member embeddings."""
        if not self.member_embs or self._units is None:
            return None
        cosines = (self._units[:len(self.member_embs)] @ emb) / (float(np.linalg.norm(emb)) or 1.0)
        if len(cosines) > CLOSEST:
            cosines = np.partition(cosines, -CLOSEST)[-CLOSEST:]
        return float(cosines.mean())

    def add(self, doc: Doc) -> None:
        square = self.norm * self.norm
        vec = self.vec
        weight = vec.get
        for t, w in doc.vec.items():
            old = weight(t, 0.0)
            vec[t] = new = old + w
            square += new ** 2 - old * old
        self.norm = math.sqrt(max(square, 0.0))
        self.size += 1
        if doc.at is not None:
            self.last_seen = doc.at if self.last_seen is None else max(self.last_seen, doc.at)
            self.first_seen = doc.at if self.first_seen is None else min(self.first_seen, doc.at)
        self.side.add(doc.identity, doc.features.has_text)
        self._remember(doc.article_id, doc.features.sketch)
        if self._probe is not None:
            self._probe.update(doc.vec)

    def _remember(self, article_id: int, sketch: tuple[int, ...]) -> None:
        self.recent.append((article_id, sketch))
        shingles = self.shingles
        holders_of = shingles.get  # (setdefault would make a list for every hash already held)
        for h in sketch:
            holders = holders_of(h)
            if holders is None:
                shingles[h] = [article_id]
            else:
                holders.append(article_id)
        if len(self.recent) > RECENT_MEMBERS:
            old_id, old_sketch = self.recent.pop(0)
            for h in old_sketch:
                holders = self.shingles.get(h)
                if holders:
                    holders.remove(old_id)
                    if not holders:
                        del self.shingles[h]

    def sharing(self, sketch: tuple[int, ...], minimum: int) -> list[int]:
        """Recent members sharing at least `minimum` sketch hashes with this sketch (newest first)."""
        held = list(filter(None, map(self.shingles.get, sketch)))  # the members holding each hash
        if sum(map(len, held)) < minimum:
            return []  # fewer hashes in common with all members together than one member needs
        # Counted in C: a big cluster's hashes each name up to RECENT_MEMBERS articles.
        counts = Counter(chain.from_iterable(held))
        return sorted((a for a, c in counts.items() if c >= minimum), reverse=True)

    def absorb(self, other: Cluster) -> None:
        self._probe = None  # summed with another event's terms: any term may rise
        for t, w in other.vec.items():
            self.vec[t] = self.vec.get(t, 0.0) + w
        self.norm = math.sqrt(sum(w * w for w in self.vec.values()))
        self.size += other.size
        if other.last_seen is not None:
            self.last_seen = other.last_seen if self.last_seen is None else max(self.last_seen, other.last_seen)
        if other.first_seen is not None:
            self.first_seen = other.first_seen if self.first_seen is None else min(self.first_seen, other.first_seen)
        self.side.absorb(other.side)
        kept = sorted([(a, self._units[r]) for a, r in self.member_embs if self._units is not None]
                      + [(a, other._units[r]) for a, r in other.member_embs if other._units is not None],
                      key=lambda m: m[0])[-CLOSEST_KEPT:]
        self.member_embs, self._units = [], None
        for article_id, unit in kept:
            self.remember_emb(article_id, unit)
        merged = sorted(self.recent + other.recent)[-RECENT_MEMBERS:]
        self.recent, self.shingles = [], {}
        for article_id, sketch in merged:
            self._remember(article_id, sketch)

    def top_terms(self) -> dict[str, float]:
        """The PROBE_TERMS heaviest terms (ties: by term), heaviest first."""
        vec = self.vec
        # Ranked by (-weight, term) as tuples compared in C, not through a key function per item.
        if self._probe is not None:  # the last top terms and those grown since (see _probe)
            ranked = [(-vec[t], t) for t in self._probe]
        else:
            items: Iterable[tuple[str, float]] = vec.items()
            if len(vec) > PROBE_TERMS:  # a big cluster holds thousands of terms: cut on a plain float sort first
                floor = sorted(vec.values(), reverse=True)[PROBE_TERMS - 1]
                items = compress(items, map(floor.__le__, vec.values()))  # w >= floor, filtered in C
            ranked = [(-w, t) for t, w in items]
        top = sorted(ranked)[:PROBE_TERMS]
        self._probe = {t for _, t in top}
        return {t: vec[t] for _, t in top}

    @staticmethod
    def emb_cosine(row: np.ndarray | None, emb: np.ndarray, emb_norm: float | None = None) -> float:
        """`emb_norm`: emb's norm (or 1.0 for 0), when the caller took it once for many rows."""
        if row is None:
            return 0.0
        norm = float(np.linalg.norm(row)) * (emb_norm if emb_norm is not None else (float(np.linalg.norm(emb)) or 1.0))
        return float(row @ emb) / norm if norm else 0.0


def light_terms(found: list[tuple[str, float, dict[int, float]]], bound: float) -> list[str]:
    """The query terms whose postings TermIndex.dots reads only to complete sums: the longest ones,
    while their weights' root sum of squares stays under the bound (any such subset is correct;
    only long postings are worth leaving out)."""
    light: list[str] = []
    if bound > 0.0:
        long = [(-len(p), t, q) for t, q, p in found if len(p) > SHORT_POSTING]
        if long:
            mass, limit = 0.0, bound * bound
            for _, t, q in sorted(long):
                if mass + q * q >= limit:
                    break
                mass += q * q
                light.append(t)
    return light


class TermIndex:
    """term -> {cluster id: summed weight}; a dot product touches only shared terms."""

    def __init__(self) -> None:
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)

    def add(self, cluster_id: int, vec: dict[str, float]) -> None:
        postings = self._postings
        for t, w in vec.items():
            posting = postings[t]
            posting[cluster_id] = posting.get(cluster_id, 0.0) + w

    def remove(self, cluster_id: int, vec: dict[str, float]) -> None:
        postings = self._postings
        posting_of = postings.get
        for t in vec:
            posting = posting_of(t)
            if posting is not None:
                posting.pop(cluster_id, None)
                if not posting:
                    del postings[t]

    def dots(self, vec: dict[str, float], bound: float = 0.0) -> dict[int, float]:
        """Cluster id -> dot product of its summed vector with vec, exact for every cluster returned.

        With a bound, clusters whose dot product divided by their norm stays under it may be
        left out: the most common query terms, whose weights together (root of the sum of
        squares) stay under the bound, do not find candidates, they only complete the
        candidates' sums; by Cauchy-Schwarz a cluster sharing nothing else scores below the
        bound. Those postings are the longest: a merge probe then reads a third of the entries."""
        postings = self._postings
        posting_of = postings.get
        found = [(t, q, p) for t, q in vec.items() if (p := posting_of(t))]
        light = light_terms(found, bound)
        if light:
            skip = set(light)
            found = [f for f in found if f[0] not in skip]
        if not found:
            return {}
        # The first posting starts every sum it holds (0.0 + its product, as a sum started later is):
        # made in one comprehension, without a lookup per entry.
        _, q, p = found[0]
        acc: dict[int, float] = {cid: 0.0 + q * w for cid, w in p.items()}
        sum_to = acc.get
        for _, q, p in found[1:]:
            for cid, w in p.items():
                acc[cid] = sum_to(cid, 0.0) + q * w
        for t in light:  # complete the sums of the candidates this posting holds (found in C: the
            q, posting = vec[t], postings[t]  # views' intersection walks the shorter of the two)
            for cid in acc.keys() & posting.keys():
                acc[cid] += q * posting[cid]
        return acc
