"""The in-memory clusterer: one pass, one decision per article, deterministic.

Each article is compared with the centroids of the clusters active within the time
window, found through an inverted index (term -> clusters) rather than a scan, so the
cost per article follows the window, not the corpus. Event clusters that fell out of the
window stay in memory for late articles but leave the index ("cold"): an article older
than the index's cut scans them directly. Candidates are ranked by TF-IDF cosine mixed with
the embedding cosine; the best few are weighed by the learned similarity (similarity.py:
terms, embedding, places, names, numbers, time, language). Below its threshold, or without
shared content terms, an article opens a new cluster; a locked cluster it belongs to gets it
as a proposed member. A grown cluster is merged into a close neighbour (single-pass
clustering splits a story whose first headlines differ; the merge repairs that).
Duplicates are looked for among the members of the best candidate clusters: a MinHash
sketch filters, rapidfuzz decides. SQLite is the source of truth: `cluster.state`
rebuilds this engine from it.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
import math
from functools import cache, cached_property, partial
from typing import Callable

import numpy as np
from rapidfuzz import fuzz

from monitor.cluster import across_languages, similarity, split
from monitor.cluster.embindex import EmbeddingIndex
from monitor.cluster.features import Features, weigh
from monitor.cluster.vectors import Cluster, Doc, TermIndex
from monitor.cluster.vectors import dot as _dot
from monitor.cluster_settings import ClusterSettings
from monitor.vocab import ClusterKind

DUP_CANDIDATE_CLUSTERS = 3
SKETCH_FILTER = 0.3  # share of sketch hashes in common worth a rapidfuzz comparison
DUP_COMPARISONS = 8  # rapidfuzz comparisons per candidate cluster, most recent members first
EXPLAIN_TERMS = 6
COMMON_SHARE = 0.5  # terms in more than this share of documents explain nothing
SCORED_CANDIDATES = 8  # candidates (best by cosines) whose whole evidence is weighed


@dataclass(frozen=True)
class Decision:
    article_id: int
    cluster_id: int
    score: float
    terms: tuple[str, ...]
    reason: str
    new_cluster: bool
    dup_of: int | None = None
    dup_score: float | None = None
    merged: tuple[tuple[int, int], ...] = ()  # (source, target) clusters merged after this article
    kind: ClusterKind = "event"
    opened: int | None = None  # id of the cluster this article opened, if any
    proposed: bool = False  # placed into a locked event: waits for the analyst
    split: SplitMove | None = None  # the event this article joined was cut in two after it (split.py)


@dataclass(frozen=True)
class SplitMove:
    """Members of `source` moved into the new event `target` (opened here): a twin event split off."""

    source: int
    target: int
    articles: tuple[int, ...]
    reason: str


def _log_odds(probability: float) -> float:
    """A probability as the log-odds the model sums (0 for a bar at 0 or 1: none to speak of)."""
    return math.log(probability / (1 - probability)) if 0 < probability < 1 else 0.0


@dataclass
class Engine:
    settings: ClusterSettings
    text_of: Callable[[int], str]  # article id -> normalized match text (for rapidfuzz)
    # article ids -> the counts of people they state (across_languages.tolls), for the across-languages rule
    tolls_of: Callable[[list[int]], frozenset[str]] = lambda _: frozenset()
    use_embeddings: bool = False
    next_cluster_id: int = 1
    clusters: dict[int, Cluster] = field(default_factory=dict)
    index: TermIndex = field(default_factory=TermIndex)
    emb: dict[str, EmbeddingIndex] = field(default_factory=lambda: {"event": EmbeddingIndex(),
                                                                    "corpus": EmbeddingIndex()})
    horizon: float = 0.0
    cold: set[int] = field(default_factory=set)  # event clusters kept out of the index
    cold_cut: float = float("-inf")  # every event cluster seen since this time is in the index
    df: dict[str, int] = field(default_factory=dict)  # documents holding each term
    docs: int = 0
    members: dict[int, list[Doc]] = field(default_factory=dict)  # event members, for the split pass
    # Events split apart, never merged back automatically; stored by the batch (split_off) and read
    # by a rebuild (state.build_engine); a side merged into another event carries its pairs there.
    apart: set[frozenset[int]] = field(default_factory=set)
    # The cold events by last seen (times, ids), for the late articles' scans (_cold_since); None
    # once the cold set or a cold event's last seen time changed (rebuilt at the next scan).
    _cold_order: tuple[list[float], list[int]] | None = field(default=None, repr=False, compare=False)
    # City -> events whose members say it happened there: the candidates of a report in another
    # language (across_languages.py), which shares neither words nor an embedding with them.
    by_where: dict[int, set[int]] = field(default_factory=dict)

    @property
    def event_threshold(self) -> float:
        return self.settings.thresholds(self.use_embeddings)[0]

    @property
    def merge_threshold(self) -> float:
        return self.settings.thresholds(self.use_embeddings)[1]

    @property
    def lexical_scale(self) -> float:
        """Puts a words-only score on the combined scale, so one threshold serves both."""
        event, _ = self.settings.thresholds(True)
        lexical, _ = self.settings.thresholds(False)
        return event / lexical if lexical else 1.0

    @property
    def weight(self) -> float:
        return self.settings.embedding_weight if self.use_embeddings else 0.0

    def count(self, features: Features) -> None:
        """Count an article's terms into the document frequencies."""
        df = self.df
        frequency = df.get
        for t in features.tf:
            df[t] = frequency(t, 0) + 1
        self.docs += 1

    def count_batch(self, counts: dict[str, int], articles: int) -> None:
        """Count a batch's terms into the document frequencies at once: `counts` holds, for each
        term, the articles holding it, first met first (a Counter of the batch's term sets, in
        article order). The same frequencies, added in the same order, as `count` for each
        article; a loop over the batch's distinct terms, not over every article's."""
        df = self.df
        frequency = df.get
        for t, n in counts.items():
            df[t] = frequency(t, 0) + n
        self.docs += articles

    def prepare(self, article_id: int, kind: ClusterKind, at: float | None, features: Features,
                emb: np.ndarray | None = None, *, counted: bool = False,
                old: bool = False) -> Doc:
        """Weigh the article's vector (counting its terms first unless the batch was counted)."""
        if not counted:
            self.count(features)
        return Doc(article_id, kind, at, features, weigh(features.tf, self.df, self.docs), emb,
                   features.identity, old)

    # -- state ---------------------------------------------------------------------------
    def add_cluster(self, cluster: Cluster) -> None:
        self.clusters[cluster.id] = cluster
        self.next_cluster_id = max(self.next_cluster_id, cluster.id + 1)

    def add_member(self, cluster: Cluster, doc: Doc, light: Doc | None = None) -> None:
        """`light`: `doc.light()` when the caller has it already (kept for the split pass)."""
        cluster.add(doc)
        self._keep_member(cluster, [doc if light is None else light])
        if cluster.kind == "event" and doc.features.has_text:
            here = similarity.where_of(doc.identity, True)
            if here is not None:
                self.by_where.setdefault(here.id, set()).add(cluster.id)
        if cluster.id in self.cold:
            self._cold_order = None  # its last seen time moved
            self._warm(cluster)
        else:
            self.index.add(cluster.id, doc.vec)
        if doc.emb is not None and self.use_embeddings:
            self.emb[cluster.kind].add(cluster.id, doc.emb)
            cluster.remember_emb(doc.article_id, doc.emb)
        if doc.at is not None:
            self.horizon = max(self.horizon, doc.at)

    def drop_cluster(self, cluster_id: int) -> None:
        cluster = self.clusters.pop(cluster_id, None)
        if cluster is not None:
            if cluster_id in self.cold:
                self.cold.discard(cluster_id)
                self._cold_order = None
            else:
                self.index.remove(cluster_id, cluster.vec)
            self.emb[cluster.kind].remove(cluster_id)
            for place in cluster.side.wheres:
                self.by_where.get(place, set()).discard(cluster_id)
        self.members.pop(cluster_id, None)

    def _warm(self, cluster: Cluster) -> None:
        """Back into the index a cold cluster that a late article brought into the window."""
        if cluster.last_seen is not None and cluster.last_seen >= self.cold_cut:
            self.cold.discard(cluster.id)
            self._cold_order = None
            self.index.add(cluster.id, cluster.vec)

    def _cold_since(self, since: float) -> list[int]:
        """The cold events last seen at `since` or later, found by bisection: a second look's window
        reaches the newest part of the cold events, and visiting every one was 3% of the loop."""
        if self._cold_order is None:
            clusters = self.clusters
            ranked = sorted([(clusters[c].last_seen or 0.0, c) for c in self.cold])
            self._cold_order = ([t for t, _ in ranked], [c for _, c in ranked])
        times, ids = self._cold_order
        return ids[bisect_left(times, since):]

    def sweep(self) -> None:
        """Forget event clusters far outside the window (SQLite keeps them); take those just
        outside it out of the index, where nearly every article would only skip them.

        Called between batches, not inside a decision: a sweep visits every cluster in memory
        (1-2 ms), which no single article should wait for."""
        window = self.settings.window_hours * 3600
        limit, cut = self.horizon - 2 * window, self.horizon - window
        for cluster in list(self.clusters.values()):
            if cluster.kind != "event" or cluster.last_seen is None or cluster.last_seen >= cut:
                continue
            if cluster.last_seen < limit:
                self.drop_cluster(cluster.id)
            elif cluster.id not in self.cold:
                self.index.remove(cluster.id, cluster.vec)
                self.cold.add(cluster.id)
                self._cold_order = None
        self.cold_cut = max(self.cold_cut, cut)

    # -- scoring -------------------------------------------------------------------------
    def lexical_floor(self, probability: float) -> float:
        """The words-only cosine under which no candidate can reach `probability`, unless its
        embedding cosine reaches the event threshold: the embedding index finds those. The term
        index leaves the others out, so they are never scored. Not under MIN_TERMS: the bound
        below is loose (it counts the headline's embedding slope at a full cosine), and with the
        shipped coefficients nothing under MIN_TERMS without a close embedding reaches a join
        (tests/cluster/test_minimum_evidence.py checks it after each refit)."""
        bar = _log_odds(probability)
        w = self.model.weights
        terms = w.get("terms", 0.0)
        most = max(w.get("embedding", 0.0) * self.event_threshold if self.weight else 0.0,
                   w.get("no_embedding", 0.0) if self.weight else 0.0, 0.0)
        floor = (bar - self.model.intercept - self._slack - most) / terms if terms > 0 else 0.0
        return max(similarity.MIN_TERMS, floor) * 0.999  # the margin absorbs rounding in the sums

    @cached_property
    def _join_bar(self) -> float:
        """The join probability as log-odds, the unit of `ceiling`."""
        return _log_odds(self.settings.join_probability)

    @cached_property
    def _event_bound(self) -> float:  # settings are fixed for an engine: computed once, not per article
        return self.lexical_floor(self.settings.join_probability)

    @cached_property
    def _merge_bound(self) -> float:
        return self.lexical_floor(self.settings.merge_probability)

    @cached_property
    def _merge_bar(self) -> float:
        """The merge probability as log-odds (a bar of 1 is never reached)."""
        p = self.settings.merge_probability
        return math.log(p / (1 - p)) if p < 1 else math.inf

    @cached_property
    def _weighed_from(self) -> float:
        """With the words alone: the term cosine under which `_best` weighs no candidate (one under
        MIN_TERMS whose ceiling is under the join bar), the `floor` of its candidates."""
        return min(similarity.MIN_TERMS, self._lexical_reaching(self._join_bar))

    @cached_property
    def _moved_from(self) -> float:
        """With the words alone: the term cosine under which no candidate reaches the join bar (a
        hair under it, so no rounding of the probability can put one over)."""
        return max(self._weighed_from, self._lexical_reaching(self._join_bar - 1e-9))

    @cached_property
    def _merged_from(self) -> float:
        """With the words alone: the term cosine under which a merge judges no candidate."""
        return max(similarity.MIN_TERMS, self._lexical_reaching(self._merge_bar))

    def _lexical_reaching(self, bar: float) -> float:
        """The least term cosine (as a float) whose ceiling with the words alone reaches `bar`, found
        by bisection: the ceiling grows with the cosine (its weight is never negative), so every
        cosine under it has a ceiling under the bar. 0 when every cosine reaches it, inf when none."""
        lo, hi = 0.0, 4.0  # a cosine is at most 1
        if self.ceiling(lo, None) >= bar:
            return 0.0
        if self.ceiling(hi, None) < bar:
            return math.inf
        while (mid := (lo + hi) / 2) not in (lo, hi):
            if self.ceiling(mid, None) >= bar:
                hi = mid
            else:
                lo = mid
        return hi

    @cached_property
    def model(self) -> similarity.Model:
        return similarity.model(self.use_embeddings)

    def _scores(self, vec: dict[str, float], emb: np.ndarray | None, norm_factor: float,
                kind: ClusterKind, at: float | None, exclude: int | None = None,
                bound: float = 0.0, locked: bool = False, floor: float = 0.0,
                below: Under | None = None) -> dict[int, tuple[float, float, float | None]]:
        """Candidate cluster -> (combined score, lexical cosine, embedding cosine or None); the
        lexical cosine is the dot product over (cluster norm x norm_factor). Locked clusters
        are candidates only when asked (`locked`): an article they would take is proposed.

        `bound` (see TermIndex.dots) lets the index leave out clusters that cannot score
        above it, so only candidates that matter to the decision are scored. `floor`: with the
        words alone (no embedding weight: the score is the term cosine) candidates under it are
        left out too; a caller passes the cosine under which it weighs no candidate
        (`_weighed_from`), so the candidates it ranks above that are the same. `below` (with the
        words alone) receives the candidates under the floor, cosine only: as every candidate
        scored with no floor, less the tuples (the duplicate check ranks them when it must; see
        Under)."""
        dots = self.index.dots(vec, bound)
        w = self.weight
        cosines: dict[int, float] = {}
        if w and emb is not None:
            cosines = self.emb[kind].cosines(emb, self.event_threshold)
            for cid in cosines.keys() - dots.keys():  # found by its embedding: its words score, exactly
                cluster = self.clusters.get(cid)
                if cluster is not None:
                    dots[cid] = _dot(vec, cluster.vec)
        out: dict[int, tuple[float, float, float | None]] = {}
        clusters = self.clusters
        since = None if (kind == "corpus" or at is None) else at - self.settings.window_hours * 3600
        until = None if (since is None or at is None) else at + self.settings.window_hours * 3600
        if kind == "event" and self.cold and (since is None or since < self.cold_cut):
            # A late article (or a second look): the clusters its window reaches outside the index.
            for cid in self.cold if since is None else self._cold_since(since):
                cluster = clusters[cid]
                if cid not in dots:
                    if vec.keys().isdisjoint(cluster.vec):
                        if w or floor <= 0.0 or below is not None:  # (a cosine of 0 is under any floor)
                            dots[cid] = 0.0
                    else:
                        dots[cid] = _dot(vec, cluster.vec)
        if not w:
            return self._lexical_scores(dots, norm_factor, kind, since, until, exclude, locked, floor, below)
        emb_norm = None  # the article's embedding norm, taken once for every candidate under the threshold
        for cid, dot in dots.items():  # every candidate (embedding ones included) has its dot product here
            cluster = clusters.get(cid)  # active here: same kind, unlocked, seen within the window
            if cluster is None or not _admits(cid, cluster, kind, since, until, exclude, locked):
                continue  # ... nor an event that began long after the article was published
            lexical = dot / ((cluster.norm * norm_factor) or 1.0)
            semantic = cosines.get(cid)
            if semantic is None and emb is not None:
                row = self.emb[kind].get(cid)
                if row is not None and emb_norm is None:
                    emb_norm = float(np.linalg.norm(emb)) or 1.0
                semantic = None if row is None else cluster.emb_cosine(row, emb, emb_norm)
            if semantic is None:  # a side without embedding (not English): the words alone decide
                out[cid] = (lexical * self.lexical_scale, lexical, None)
            else:
                out[cid] = (w * semantic + (1 - w) * lexical, lexical, semantic)
        return out

    def _lexical_scores(self, dots: dict[int, float], norm_factor: float, kind: ClusterKind, since: float | None,
                        until: float | None, exclude: int | None, locked: bool, floor: float,
                        below: Under | None) -> dict[int, tuple[float, float, float | None]]:
        """`_scores` with the words alone (the benchmark's, and an install without embeddings):
        the same filters and cosines, the cosine (and `floor`) tested first. A candidate under the
        floor goes to `below` as met, before the filters: they run when `below` is read."""
        cluster_of = self.clusters.get
        out: dict[int, tuple[float, float, float | None]] = {}
        met = None if below is None else below.met
        for cid, dot in dots.items():
            cluster = cluster_of(cid)
            if cluster is None:
                continue
            lexical = dot / ((cluster.norm * norm_factor) or 1.0)
            if lexical < floor:
                if met is not None:
                    met.append((cid, lexical, cluster))
                continue
            if _admits(cid, cluster, kind, since, until, exclude, locked):
                out[cid] = (lexical, lexical, None)
        if below is not None:
            below.admits = (kind, since, until, exclude, locked)
        return out

    def name_weight(self, key: str) -> float:
        """A name's weight by how rare it is (a name in every article, "Thursday", weighs little)."""
        return max(0.0, math.log((self.docs + 1) / (self.df.get(key, 0) + 1)))

    def judge(self, side: similarity.Side, at: float | None, cluster: Cluster, lexical: float,
              semantic: float | None, closest: float | None = None) -> tuple[float, similarity.Evidence]:
        """The learned probability that an article (or small event) belongs to this event; `closest`
        (Engine.closest) compares the article (a merging event: its summed embedding) with the
        event's closest members too."""
        ev = self._evidence(side, at, cluster, lexical, semantic, closest)
        return similarity.probability(self.model, ev), ev

    def _evidence(self, side: similarity.Side, at: float | None, cluster: Cluster, lexical: float,
                  semantic: float | None, closest: float | None) -> similarity.Evidence:
        gap = 0.0 if at is None or cluster.last_seen is None else (at - cluster.last_seen) / 3600
        return similarity.evidence(lexical, semantic, side, cluster.side, gap, self.settings.window_hours,
                                   self.name_weight, closest)

    def closest(self, cluster: Cluster, semantic: float | None, emb: np.ndarray | None) -> float | None:
        """The article's mean cosine with the event's closest members (Cluster.closest_cosine), for
        an event its headline is near at all (its summed embedding at the event threshold, as the
        embedding index finds candidates): a candidate neither index finds cannot need them."""
        if emb is None or semantic is None or semantic < self.event_threshold:
            return None
        return cluster.closest_cosine(emb)

    def _weighable(self, scores: dict[int, tuple[float, float, float | None]]) -> dict[int, tuple[float, float, float | None]]:
        """The candidates `_best` may weigh: with the words alone, not those under `_weighed_from`."""
        if self.weight:
            return scores
        floor = self._weighed_from
        return {cid: s for cid, s in scores.items() if s[1] >= floor}

    def _best(self, doc: Doc, scores: dict[int, tuple[float, float, float | None]], weighable: bool = False,
              vetoed: list[tuple[int, tuple[str, str]]] | None = None):
        """The candidate with the highest learned probability among those with shared content
        (`weighable`: the scores are `_weighable`'s already); `vetoed` receives the candidates the
        where veto left out, with the two cities (the reason of a new event names the first)."""
        if not weighable:
            scores = self._weighable(scores)
        ranked = _top(scores, SCORED_CANDIDATES)
        side = None  # built for the first candidate worth weighing
        best = None
        for cid, (_, lexical, semantic) in ranked:
            cluster = self.clusters[cid]
            closest = None if doc.emb is None else self.closest(cluster, semantic, doc.emb)
            ceiling = self.ceiling(lexical, semantic, closest)
            if best is not None and ceiling < best[4]:
                continue  # it cannot beat the best so far (its evidence is not worth weighing)
            if lexical < similarity.MIN_TERMS and ceiling < self._join_bar:
                continue  # few shared words and no look that could carry a join: not weighed, as before
            if not self._shares_telling(doc.vec, cluster):
                continue  # minimum evidence: shared content terms, not a headline's look alone
            if side is None:
                side = similarity.side_of(doc.identity, doc.features.has_text)
            ev = self._evidence(side, doc.at, cluster, lexical, semantic, closest)  # judge's, its log-odds kept
            if ev.values["where_conflict"]:
                if vetoed is not None and ev.conflict is not None:
                    vetoed.append((cid, ev.conflict))
                continue  # where it happened differs: another event, whatever the words share
            z = self.model.logit(ev.values)
            p = similarity.sigmoid(z)
            if best is None or (p, -cid) > (best[0], -best[1]):
                best = (p, cid, lexical, ev, z)
        return best

    def best_event(self, doc: Doc, exclude: int | None = None):
        """The open event the join would file this article into now, as `_best` chooses it, when its
        probability reaches the join bar; else None (the second look, cluster/refine.py, asks again
        once more events exist). With the words alone, candidates whose cosine cannot reach the
        bar are not scored: they cannot be that event, nor change which one is."""
        scores = self._scores(doc.vec, doc.emb, 1.0, "event", doc.at, exclude=exclude, bound=self._event_bound,
                              floor=self._moved_from)
        best = self._best(doc, scores)
        return best if best is not None and best[0] >= self.settings.join_probability else None

    @cached_property
    def _slack(self) -> float:
        """The most the evidence beyond the cosines can add to the log-odds (each such feature is
        at most 1, the time gap at most 2 but never for a join)."""
        return sum(max(0.0, w) for k, w in self.model.weights.items()
                   if k not in similarity.COSINE_FEATURES and k != "embedding_closest")

    def ceiling(self, lexical: float, semantic: float | None, closest: float | None = None) -> float:
        """An upper bound of a candidate's log-odds from its cosines alone: candidates under the
        decision's bar are not weighed (most of a decision's cost at 100k articles), with no
        change to any decision."""
        terms, embedding, no_embedding, closest_weight = self._cosine_weights
        cosines = (terms * lexical + embedding * (semantic or 0.0) + (no_embedding if semantic is None else 0.0))
        if closest is not None:  # known before the rest of the evidence: a matrix product of a few rows
            cosines += closest_weight * max(0.0, closest - (semantic or 0.0))
        return self.model.intercept + cosines + self._slack

    @cached_property
    def _cosine_weights(self) -> tuple[float, float, float, float]:
        """`ceiling`'s weights (terms, embedding, no embedding, closest members): read once, not per candidate."""
        w = self.model.weights
        return (w.get("terms", 0.0), w.get("embedding", 0.0), w.get("no_embedding", 0.0),
                max(0.0, w.get("embedding_closest", 0.0)))

    def telling(self, term: str) -> bool:
        """A term worth showing as a reason: not in most documents (the, der, que...)."""
        return self.df.get(term, 0) <= self._telling_most()

    def telling_name(self, key: str) -> bool:
        """A name rare enough to tell events apart (similarity.TELLING_NAME); every name while there
        are too few documents to tell (as `telling` for terms)."""
        return self.docs < 20 or self.name_weight(key) >= similarity.TELLING_NAME

    def _telling_most(self) -> float:
        """The most documents a telling term is in (every term while there are few documents); the
        loops over every candidate's terms test against it without a call per term."""
        return math.inf if self.docs < 20 else self.docs * COMMON_SHARE

    def _shares_telling(self, vec: dict[str, float], cluster: Cluster) -> bool:
        """Whether `explain` names any term: a telling term both weigh (minimum evidence)."""
        weights, frequency, most = cluster.vec, self.df.get, self._telling_most()
        return any(q * weights[t] > 0 and frequency(t, 0) <= most for t, q in vec.items() if t in weights)

    def explain(self, vec: dict[str, float], cluster: Cluster) -> tuple[str, ...]:
        weights = cluster.vec  # a term the event lacks contributes nothing: only shared ones are read
        frequency, most = self.df.get, self._telling_most()
        contrib = [(q * weights[t], t) for t, q in vec.items() if t in weights and frequency(t, 0) <= most]
        # Ranked by (-contribution, term) as tuples compared in C, not through a key function.
        top = sorted([(-c, t) for c, t in contrib if c > 0])[:EXPLAIN_TERMS]
        return tuple(t for _, t in top)

    # -- decisions -----------------------------------------------------------------------
    def assign(self, doc: Doc, match: str, light: Doc | None = None) -> Decision:
        """Place one article (its vector already weighed) and return why; `light`: `doc.light()`
        when the caller has it already (the one kept in memory for the split pass)."""
        kind = doc.kind
        # Every candidate: those `_best` may weigh, and with the words alone the others' cosines
        # apart (the duplicate check ranks them when fewer than it reads are weighable).
        low = Under()
        weighable = self._scores(doc.vec, doc.emb, 1.0, kind, doc.at, bound=self._event_bound, locked=True,
                                 floor=0.0 if self.weight else self._weighed_from,
                                 below=None if self.weight else low)
        dup = self._find_duplicate(doc, match, self._open_top(weighable, low, DUP_CANDIDATE_CLUSTERS))
        vetoed: list[tuple[int, tuple[str, str]]] = []
        best = self._best(doc, weighable, weighable=True, vetoed=vetoed) if kind == "event" and dup is None else None
        threshold = self.settings.join_probability
        across = self.across_event(doc) if kind == "event" and dup is None and (best is None or best[0] < threshold) \
            else None
        old = "old: published long before the newest article; " if doc.old else ""
        proposed = False
        dup_of: int | None
        dup_score: float | None
        if dup is not None:
            cid, dup_of, dup_score = dup
            cluster = self.clusters[cid]
            score = weighable[cid][0] if cid in weighable else low.kept()[cid]
            terms = self.explain(doc.vec, cluster)
            reason = f"duplicate of article {dup_of} (text ratio {dup_score:.2f})"
            new = False
        elif best is not None and best[0] >= threshold:
            score, cid, lexical, ev, _ = best
            cluster = self.clusters[cid]
            proposed = cluster.locked
            terms = self.explain(doc.vec, cluster)
            why = similarity.explain(self.model, ev)
            reason = f"{old}{'proposed to locked event: ' if proposed else ''}p {score:.2f} >= {threshold:.2f}: {why}"
            dup_of = dup_score = None
            new = False
        elif across is not None:
            cid, found = across
            cluster = self.clusters[cid]
            proposed = cluster.locked
            terms = self.explain(doc.vec, cluster)
            score = self.words_probability(doc, cluster)
            reason = (f"{old}{'proposed to locked event: ' if proposed else ''}{found.reason()} "
                      f"(the words' p {score:.2f})")
            dup_of = dup_score = None
            new = False
        else:
            cid = self.next_cluster_id
            cluster = Cluster(id=cid, kind=kind)
            self.add_cluster(cluster)
            score, terms, dup_of, dup_score, new = 1.0, (), None, None, True
            if best is None and vetoed:
                other, (here, there) = vetoed[0]
                reason = f"{old}new cluster: where it happened differs from event {other}'s ({here} ≠ {there})"
            elif best is None:
                reason = (f"{old}new cluster: no event shares enough telling content terms to weigh (candidates: term "
                          f"cosine >= {self._event_bound:.2f} or embedding >= {self.event_threshold:.2f})")
            else:
                reason = (f"{old}new cluster: best p {best[0]:.2f} < {threshold:.2f} (event {best[1]}: "
                          f"{similarity.explain(self.model, best[3])})")
            if kind == "corpus":
                reason = "corpus document: a cluster of its own (joined only by copies of its text)"
        if proposed:  # the locked event keeps its members as the analyst left them until accepted
            return Decision(doc.article_id, cid, round(score, 4), terms, reason, False, proposed=True)
        self.add_member(cluster, doc, light)
        merged = self._merge_neighbours(cluster, doc.at) if _merge_due(cluster.size) else []
        final = merged[-1][1] if merged else cid
        cut = self.split_apart(self.clusters[final])
        if cut is not None and doc.article_id in cut.articles:
            final = cut.target
        return Decision(doc.article_id, final, round(score, 4), terms, reason, new, dup_of,
                        None if dup_score is None else round(dup_score, 4), tuple(merged), kind,
                        cid if new else None, split=cut)

    def across_event(self, doc: Doc, exclude: int | None = None,
                     locked: bool = True) -> tuple[int, across_languages.Across] | None:
        """The event in another language this article reports (across_languages.py), among the
        events in its window that say it happened where it says; locked ones too unless not
        `locked` (the join proposes to them; the second look, cluster/refine.py, moves into none)."""
        if not doc.features.has_text or not doc.identity.language or doc.at is None:
            return None
        here = similarity.where_of(doc.identity, True)
        ids = None if here is None else self.by_where.get(here.id)
        if not ids:
            return None
        window = self.settings.window_hours * 3600
        side = similarity.side_of(doc.identity, True)
        dates = across_languages.dates_around(doc.at)
        mine = cache(partial(self.tolls_of, [doc.article_id]))  # read once, and only if a candidate needs it
        found = []
        for cid in ids:
            cluster = self.clusters.get(cid)
            if cluster is None or not _admits(cid, cluster, "event", doc.at - window, doc.at + window, exclude, locked):
                continue
            first = cluster.first_seen if cluster.first_seen is not None else doc.at
            last = cluster.last_seen if cluster.last_seen is not None else doc.at
            gap = max(first - doc.at, doc.at - last, 0.0) / 3600  # to the event's nearest member
            members = self.members_near(cluster, doc.at, across_languages.SAME_STORY_HOURS * 3600)
            rule = across_languages.judge(side, doc.identity.names, cluster.side, gap, self.telling_name, dates,
                                          mine, partial(self.tolls_of, members))
            if rule is not None:
                found.append((len(rule.names) + len(rule.numbers) + len(rule.tolls), -rule.hours, -cid, rule))
        if not found:
            return None
        _, _, negative_id, rule = max(found, key=lambda f: f[:3])
        return -negative_id, rule

    def members_near(self, cluster: Cluster, at: float, seconds: float) -> list[int]:
        """The event's members published within `seconds` of `at` (a toll in common is one member's, of
        the same hours, not a report days later); an event too large to keep its members: its recent ones."""
        kept = self.members.get(cluster.id)
        if kept is None:
            return [a for a, _ in cluster.recent]
        return [d.article_id for d in kept if d.at is None or abs(d.at - at) <= seconds]

    def words_probability(self, doc: Doc, cluster: Cluster) -> float:
        """The fitted similarity's probability for this article and event (shown beside a rule's join)."""
        lexical = _dot(doc.vec, cluster.vec) / (cluster.norm or 1.0)
        semantic = None
        row = self.emb[cluster.kind].get(cluster.id) if self.weight and doc.emb is not None else None
        if row is not None and doc.emb is not None:
            semantic = cluster.emb_cosine(row, doc.emb, float(np.linalg.norm(doc.emb)) or 1.0)
        closest = None if doc.emb is None else self.closest(cluster, semantic, doc.emb)
        return self.judge(similarity.side_of(doc.identity, doc.features.has_text), doc.at, cluster, lexical,
                          semantic, closest)[0]

    def _open_top(self, weighable: dict[int, tuple[float, float, float | None]], low: Under,
                  n: int) -> list[int]:
        """The n open candidates best by score (ties: the older), ranked as _top ranks, in one C sort.
        `low`: with the words alone, the candidates under `_weighed_from` by cosine (their score):
        each ranks after every weighable one, so they are ranked only when fewer than n weighable
        candidates are open."""
        clusters = self.clusters
        ranked = sorted([(-s[0], cid) for cid, s in weighable.items() if not clusters[cid].locked])
        if len(ranked) < n and (under := low.kept()):
            ranked = sorted(ranked + [(-cosine, cid) for cid, cosine in under.items() if not clusters[cid].locked])
        return [cid for _, cid in ranked[:n]]

    def _find_duplicate(self, doc: Doc, match: str, candidates: list[int]) -> tuple[int, int, float] | None:
        """A member with (nearly) the same text: sketches sharing enough 3-grams, then rapidfuzz."""
        threshold = self.settings.duplicate_threshold * 100
        sketch = doc.features.sketch
        minimum = max(1, int(len(sketch) * SKETCH_FILTER))
        best: tuple[float, int, int] | None = None
        for cid in candidates:
            if similarity.elsewhere(doc.identity, doc.features.has_text, self.clusters[cid].side):
                continue  # a text that says it happened elsewhere is another event's report, not a copy
            for article_id in self.clusters[cid].sharing(sketch, minimum)[:DUP_COMPARISONS]:
                ratio = fuzz.ratio(match, self.text_of(article_id), score_cutoff=threshold)
                if ratio and (best is None or (ratio, -article_id) > (best[0], -best[2])):
                    best = (ratio, cid, article_id)
        if best is None:
            return None
        return best[1], best[2], best[0] / 100

    def _merge_neighbours(self, cluster: Cluster, at: float | None) -> list[tuple[int, int]]:
        """Merge the cluster into (or with) its closest neighbour while above the merge threshold;
        never across places (where_conflict) nor between events whose own figures differ
        (similarity.figures_differ: the same kind of event with another score or toll)."""
        merged: list[tuple[int, int]] = []
        while cluster.kind == "event" and not cluster.locked and not cluster.pinned and cluster.norm:
            emb = self.emb[cluster.kind].get(cluster.id) if self.weight else None
            probe = cluster.top_terms()
            scores = self._scores(probe, emb, cluster.norm, cluster.kind, at, exclude=cluster.id,
                                  bound=self._merge_bound * cluster.norm, floor=self._merged_from)
            if not scores:
                break  # nothing near enough (nearly every probe): nothing to rank
            scores = {cid: s for cid, s in scores.items() if not self.clusters[cid].pinned
                      and frozenset((cid, cluster.id)) not in self.apart}
            ranked = _top(scores, SCORED_CANDIDATES)
            bar = self._merge_bar
            judged = [(p, cid) for cid, (_, lexical, semantic) in ranked if lexical >= similarity.MIN_TERMS
                      for closest in [self.closest(self.clusters[cid], semantic, emb)]
                      if self.ceiling(lexical, semantic, closest) >= bar
                      for p, ev in [self.judge(cluster.side, at, self.clusters[cid], lexical, semantic, closest)]
                      if not ev.values["where_conflict"] and ev.figures_apart is None]
            if not judged:
                break
            score, other = max(judged, key=lambda j: (j[0], -j[1]))
            if score < self.settings.merge_probability:
                break
            target, source = sorted((cluster.id, other), key=lambda i: i)
            self._absorb(self.clusters[target], self.clusters[source])
            merged.append((source, target))
            cluster = self.clusters[target]
        return merged

    # -- the batch end's consolidation (consolidate.py) -------------------------------------
    def merge_candidates(self, cluster: Cluster, n: int) -> list[tuple[int, float, float | None]]:
        """The merge's candidates for an event (its probe, the window at its last member, neither
        pinned nor split apart from it), best n by cosines: (event id, term cosine, embedding cosine)."""
        emb = self.emb[cluster.kind].get(cluster.id) if self.weight else None
        # With the words alone the ranking is the term cosine, so leaving out the candidates under
        # MIN_TERMS (which consolidate.py never weighs) leaves the best n above it as they were.
        scores = self._scores(cluster.top_terms(), emb, cluster.norm, cluster.kind, cluster.last_seen,
                              exclude=cluster.id, bound=self._event_bound * cluster.norm, floor=similarity.MIN_TERMS)
        return [(cid, lexical, semantic) for cid, (_, lexical, semantic) in _top(scores, n)
                if not self.clusters[cid].pinned and frozenset((cid, cluster.id)) not in self.apart]

    def fuse(self, source: int, target: int) -> None:
        """Merge event `source` into `target` as the merge does (consolidate.py decided it)."""
        self._absorb(self.clusters[target], self.clusters[source])

    def _absorb(self, target: Cluster, source: Cluster) -> None:
        emb = self.emb[source.kind].get(source.id)
        emb = None if emb is None else emb.copy()
        moving = self.members.get(source.id)
        self.drop_cluster(source.id)
        if target.id not in self.cold:
            self.index.add(target.id, source.vec)
        if emb is not None:
            self.emb[target.kind].add(target.id, emb)
        target.absorb(source)
        for place in source.side.wheres:
            self.by_where.setdefault(place, set()).add(target.id)
        if target.id in self.cold:
            self._cold_order = None  # its last seen time moved
        self._carry_apart(source.id, target.id)
        if moving is None:
            self.members.pop(target.id, None)  # a side no longer kept: the whole is not either
        else:
            self._keep_member(target, moving)
        if target.id in self.cold:
            self._warm(target)

    # -- the split pass (split.py) -------------------------------------------------------
    def _carry_apart(self, source: int, target: int) -> None:
        """The events split apart from a merged event stay apart from the event it went into (as
        store.split_pairs reads them after a rebuild: one rule in memory and on file)."""
        moving = {pair for pair in self.apart if source in pair}
        if moving:
            self.apart -= moving
            self.apart |= {frozenset({target, *(pair - {source})}) for pair in moving} - {frozenset({target})}

    def _keep_member(self, cluster: Cluster, docs: list[Doc]) -> None:
        """Keep an event's members while it is small enough to be cut (split.MAX_MEMBERS)."""
        if cluster.kind != "event":
            return
        if cluster.size > split.MAX_MEMBERS:
            self.members.pop(cluster.id, None)
        elif cluster.size == len(docs) or cluster.id in self.members:
            # Kept without the texts and raw counts a decision read (a cut needs none of them).
            self.members.setdefault(cluster.id, []).extend(
                d.light() for d in docs)

    def split_apart(self, cluster: Cluster) -> SplitMove | None:
        """Cut a grown event in two when its members show two events (split.propose); never a
        locked event nor one holding the analyst's decisions (pinned)."""
        docs = self.members.get(cluster.id)
        if (docs is None or cluster.locked or cluster.pinned or not split.due(cluster.size)
                or cluster.side.texts < 2 * split.MIN_GROUP or not split.two_cities(cluster.side)):
            return None
        found = split.propose([split.Member(d.article_id, d.vec, d.emb, d.identity, d.features.has_text, d.at)
                               for d in docs],
                              split.pair_scorer(self.model, self.name_weight, self.settings.window_hours),
                              self.name_weight)
        if found is None:
            return None
        leave = set(found.leave)
        self.drop_cluster(cluster.id)
        kept = Cluster(id=cluster.id, kind=cluster.kind)
        moved = Cluster(id=self.next_cluster_id, kind=cluster.kind)
        for half in (kept, moved):
            self.add_cluster(half)
        for doc in docs:
            self.add_member(moved if doc.article_id in leave else kept, doc)
        self.apart.add(frozenset((kept.id, moved.id)))
        return SplitMove(kept.id, moved.id, found.leave, found.reason)


def _admits(cid: int, cluster: Cluster, kind: ClusterKind, since: float | None, until: float | None,
            exclude: int | None, locked: bool) -> bool:
    """Whether `_scores` keeps a candidate met with the words alone: not the one excluded, of the
    kind asked, unlocked unless asked (`locked`), seen within the window (since) and not begun
    long after the article (until: None when since is)."""
    if cid == exclude or cluster.kind != kind or (cluster.locked and not locked):
        return False
    return since is None or not (((seen := cluster.last_seen) is not None and seen < since) or (
        until is not None and (first := cluster.first_seen) is not None and first > until))


class Under:
    """The candidates `_scores` met under its floor (with the words alone): their cosines, by
    cluster id, once read. Gathered as met, before `_scores`' filters, which run on the first
    read (`kept`): the duplicate check reads them only when fewer open candidates than it needs
    reach the floor (7% of the benchmark's articles). Read before the engine changes (the
    assignment reads them at once)."""

    def __init__(self) -> None:
        self.met: list[tuple[int, float, Cluster]] = []
        self.admits: tuple | None = None  # _admits' arguments after the cluster, set by _lexical_scores
        self._kept: dict[int, float] | None = None

    def kept(self) -> dict[int, float]:
        if self._kept is None:
            args = self.admits
            self._kept = {} if args is None else \
                {cid: lexical for cid, lexical, cluster in self.met if _admits(cid, cluster, *args)}
        return self._kept


def _top(scores: dict[int, tuple[float, float, float | None]], n: int) -> list:
    """The n best candidates by combined score (ties: the older cluster), as (id, scores) pairs.
    Ranked by (-score, id) tuples compared in C: a candidate dict holds a few dozen at most, where
    heapq.nsmallest's key function, called per candidate, cost more than the sort."""
    return [(cid, scores[cid]) for _, cid in sorted([(-s[0], cid) for cid, s in scores.items()])[:n]]


def _merge_due(size: int) -> bool:
    """Look for a merge while a cluster is small, then at every eighth of growth: a centroid
    moves little per member once it is large, and each look costs an index probe."""
    return 2 <= size <= 8 or size % max(1, size // 8) == 0
