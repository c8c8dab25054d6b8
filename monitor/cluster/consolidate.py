"""Fragments of one story told in bare headlines, merged at the end of a batch by average linkage.

One pass files each article against each event's summed words and headline, and a story told in
pieces (an oil-price week, a topic of headlines) grows several events whose sums never reach the
merge bar against each other, though their members' pairs agree. Measured offline
(`scripts/offline_bound.py --product`): average linkage over the product's own pair probability
(SemEval's pairs and the split's members are scored by it) reaches UCI B³ F1 0.895 and News-T
NMI 0.931 with an oracle threshold, against the product's 0.8705 and 0.9253; with bodies (ECB+)
it reaches only 0.886 against the product's 0.916, so events with bodies are not weighed here.

At each batch end every event of bare headlines (MIN_SIZE members or more) the batch touched is
weighed against its neighbours (the merge's candidate search, Engine.merge_candidates): the mean
pair probability between the newest KEPT members of each (each pair as one article against a
one-article event, split.pair_scorer, without time: UCI's times are its crawl's) must reach BAR
(a fragment twenty times smaller than its story: fragment.SMALL_BAR),
and nothing may tell the two apart: the engine's merge vetoes (where it happened, their own
figures), the evidence's conflicts either way (two cities, other weekdays, missing actors) or
twin marks across their members (split.twins); most need bodies, so on headlines mostly the
figures speak. A fragment is small beside its story: the larger of the two must hold at least
twice the smaller's members (fragment.py). Never a locked or pinned event, nor two events split
apart (Engine.apart). Each fusion's reason goes before the source's members' own ("merged: mean p
0.31 >= 0.25 over 256 pairs with event 12", a small fragment's "... >= 0.20 (a fragment 20x
smaller) over ..."); the store writes it in the batch's transaction.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from monitor.cluster import fragment, similarity, split
from monitor.cluster.vectors import Cluster, Doc

if TYPE_CHECKING:
    from monitor.cluster.engine import Engine

BAR = 0.25  # mean pair probability for two events to be one story (0.20 for all went down on Google News' S and TS: fragment.py)
KEPT = 32  # newest members a side whose pairs are scored (at most KEPT² pairs a candidate)
MIN_SIZE = 2  # members an event needs: one article alone gets the second look at the join bar (refine.py)
CANDIDATES = 5  # neighbours of a touched event weighed (the merge's candidate search, best first)
MARGIN = 1e-4  # _mean_bound turns a candidate away this far under the bar: _bound's float32 rounding never crosses it


@dataclass(frozen=True)
class _Candidate:
    """The event a touched event would be merged with: its mean pair probability over so many pairs,
    and the bar it reached (fragment.bar)."""

    other: int
    mean: float
    pairs: int
    bar: float


@dataclass(frozen=True)
class Fusion:
    """Event `source` merged into `target` at a batch end, and why."""

    source: int
    target: int
    reason: str


@dataclass
class Roster:
    """The docs of the events' newest members (by article id), as the engine's clusters list them
    (Cluster.recent); restored from the docs a rebuild loads, so a rebuilt engine weighs the same."""

    docs: dict[int, Doc] = field(default_factory=dict)
    kept_after_prune: int = 0

    @classmethod
    def restore(cls, docs: dict[int, Doc]) -> Roster:
        return cls({a: d.light() for a, d in docs.items() if _kept(d)})

    def add(self, doc: Doc) -> None:
        if _kept(doc):
            self.docs[doc.article_id] = doc.light()

    def newest(self, cluster: Cluster) -> list[Doc]:
        found = [self.docs.get(a) for a, _ in cluster.recent[-KEPT:]]
        return [d for d in found if d is not None]

    def prune(self, engine: Engine) -> None:
        """Forget the docs no event in memory still lists among its newest members."""
        if len(self.docs) <= self.kept_after_prune * 2 + KEPT:
            return
        wanted = {a for c in engine.clusters.values() if c.side.headline_only for a, _ in c.recent[-KEPT:]}
        self.docs = {a: d for a, d in self.docs.items() if a in wanted}
        self.kept_after_prune = len(self.docs)


def _kept(doc: Doc) -> bool:
    """Only bare headlines' events are weighed here (_open)."""
    return doc.kind == "event" and not doc.features.has_text


def consolidate(engine: Engine, roster: Roster, touched: set[int]) -> list[Fusion]:
    """Merge the touched events with the neighbours whose members' pairs agree (BAR), the closest
    pair first (average linkage's order: a fragment goes to its nearest story, not to the first
    one weighed), until no pair reaches the bar."""
    score = split.pair_scorer(engine.model, engine.name_weight, engine.settings.window_hours)
    fusions: list[Fusion] = []
    best: dict[int, _Candidate] = {}
    sides: dict[int, tuple[list[Doc], _Sums]] = {}  # an event's newest members and their sums, until it changes

    def weigh(cid: int) -> None:
        cluster = engine.clusters.get(cid)
        found = _best(engine, roster, cluster, score, sides) if cluster is not None and _open(cluster) else None
        if found is None:
            best.pop(cid, None)
        else:
            best[cid] = found

    for cid in sorted(touched):
        weigh(cid)
    while best:
        cid, found = max(best.items(), key=lambda kv: (kv[1].mean, -kv[0]))
        target, source = sorted((cid, found.other))
        engine.fuse(source, target)
        sides.pop(source, None)
        sides.pop(target, None)
        small = f" (a fragment {fragment.SMALL}x smaller)" if found.bar < BAR else ""
        fusions.append(Fusion(source, target, f"merged: mean p {found.mean:.2f} >= {found.bar:.2f}{small} over "
                                              f"{found.pairs} pairs with event {target}"))
        best.pop(source, None)
        for k in [k for k, v in best.items() if v.other in (source, target)] + [target]:
            weigh(k)
    roster.prune(engine)
    return fusions


def _open(cluster: Cluster) -> bool:
    """An event of bare headlines, automatic, of MIN_SIZE members or more. Events with bodies are
    left to the join, the merge and the split: there the pair probability's average linkage falls
    under what the product reaches (ECB+ 0.886 against 0.916, oracle threshold), and twin events
    with nothing to tell them apart cross at mean p 0.42 (the Greek riots of 2008 and 2010)."""
    return (cluster.kind == "event" and not cluster.locked and not cluster.pinned and cluster.norm > 0
            and cluster.size >= MIN_SIZE and cluster.side.headline_only)


def _best(engine: Engine, roster: Roster, cluster: Cluster, score: split.PairScore,
          sides: dict[int, tuple[list[Doc], _Sums]]) -> _Candidate | None:
    """The candidate with the highest mean pair probability at its bar (fragment.bar) or above, with
    nothing against it."""
    mine, my_sums = _side(roster, cluster, sides)
    if not mine:
        return None
    my_terms: set[str] | None = None  # what _bound reads of this side, for the first candidate it weighs
    my_members: list[split.Member] | None = None  # built for the first candidate worth scoring
    best: _Candidate | None = None
    for other_id, lexical, semantic in engine.merge_candidates(cluster, CANDIDATES):
        other = engine.clusters[other_id]
        bar = fragment.bar(cluster, other, BAR) if _open(other) and lexical >= similarity.MIN_TERMS else None
        if bar is None:
            continue
        theirs, their_sums = _side(roster, other, sides)
        if not theirs or _mean_bound(engine, my_sums, their_sums) < bar - MARGIN:
            continue  # even with every further feature at its most, the pairs cannot reach the bar
        if my_terms is None:
            my_terms = set().union(*(d.vec for d in mine))
        ceilings = _bound(engine, mine, theirs, my_terms)
        if float(np.mean(ceilings)) < bar:
            continue  # the same, pair by pair
        if my_members is None:
            my_members = [_member(d) for d in mine]
        their_members = [_member(d) for d in theirs]
        if _apart(engine, cluster, other, lexical, semantic, my_members + their_members):
            continue
        mean = _mean_reaching(score, my_members, their_members, ceilings, bar)
        if mean is not None and mean >= bar and (best is None or mean > best.mean):
            best = _Candidate(other_id, mean, len(mine) * len(theirs), bar)
    return best


def _side(roster: Roster, cluster: Cluster, sides: dict[int, tuple[list[Doc], _Sums]]) -> tuple[list[Doc], _Sums]:
    """The event's newest members and their sums, built once per consolidation (until it changes)."""
    found = sides.get(cluster.id)
    if found is None:
        docs = roster.newest(cluster)
        found = sides[cluster.id] = (docs, _Sums.of(docs))
    return found


def _apart(engine: Engine, one: Cluster, other: Cluster, lexical: float, semantic: float | None,
           members: list[split.Member]) -> bool:
    """Evidence that the two are two events: the engine's merge vetoes (where it happened, their own
    figures), the evidence's conflicts either way (two cities, other weekdays, the actors), or twin
    marks across their members (split.twins)."""
    if frozenset((one.id, other.id)) in engine.apart:
        return True
    for a, b in ((one, other), (other, one)):
        _, ev = engine.judge(a.side, None, b, lexical, semantic)
        if (ev.values["where_conflict"] or ev.figures_apart is not None or ev.conflict is not None
                or ev.days_apart is not None or ev.values["core_missing"]):
            return True
    if not any(m.has_text for m in members):
        return False  # a bare headline has no marks (split.marks): no twins to find
    return split.twins([split.marks(m, engine.name_weight) for m in members]) is not None


def _member(doc: Doc) -> split.Member:
    """A member as the pair score reads it, without its time (no time is evidence here)."""
    return split.Member(doc.article_id, doc.vec, doc.emb, doc.identity, doc.features.has_text, None)


@dataclass(frozen=True)
class _Sums:
    """A side's newest members summed: their words' unit vectors and their unit headline embeddings
    (None unless every member has one). The mean cosine over two sides' pairs is the dot product
    of their sums over the number of pairs."""

    terms: dict[str, float]
    emb: np.ndarray | None
    n: int

    @classmethod
    def of(cls, docs: list[Doc]) -> _Sums:
        terms: dict[str, float] = {}
        for d in docs:
            for t, w in d.vec.items():
                terms[t] = terms.get(t, 0.0) + w
        rows = _emb_rows(docs) if docs else None  # an event none of whose members the roster holds
        return cls(terms, None if rows is None else rows.astype(np.float64).sum(axis=0), len(docs))


def _mean_bound(engine: Engine, one: _Sums, other: _Sums) -> float:
    """An upper bound of what `_bound` bounds, from the two sides' sums alone (no pair is read):
    each pair's log-odds z is linear in its cosines, and the sigmoid lies under a line through its
    value at the least z possible (`_line`), so the mean probability lies under that line at the
    mean z, which the sums give. Most candidates fall under the bar here (80% of those `_bound`
    turned away on the benchmark's stream), at the cost of a sparse dot product."""
    w = engine.model.weights
    base = engine.ceiling(0.0, 0.0)  # the intercept and the most the other features add
    slope = w.get("terms", 0.0)
    pairs = one.n * other.n
    small, large = (one.terms, other.terms) if len(one.terms) <= len(other.terms) else (other.terms, one.terms)
    z = base + slope * sum(q * large.get(t, 0.0) for t, q in small.items()) / pairs
    lo, hi = base + min(0.0, slope), base + max(0.0, slope)  # term cosines lie in [0, 1]
    if one.emb is not None and other.emb is not None:
        emb = w.get("embedding", 0.0)
        z += emb * float(one.emb @ other.emb) / pairs
        lo, hi = lo - abs(emb), hi + abs(emb)  # embedding cosines lie in [-1, 1]
    else:
        z += w.get("no_embedding", 0.0)
        lo, hi = lo + w.get("no_embedding", 0.0), hi + w.get("no_embedding", 0.0)
    start, rise = _line(lo, hi)
    return start + rise * (z - lo)


@functools.lru_cache(maxsize=8)
def _line(lo: float, hi: float, steps: int = 2000) -> tuple[float, float]:
    """(sigmoid(lo), m): the line sigmoid(lo) + m (z - lo) lies above the sigmoid on [lo, hi]. m
    bounds every chord's slope from lo: a chord to a z in (z_i, z_i+1] of a grid is no steeper
    than the rise to z_i+1 over the run to z_i (the sigmoid grows), and over the first step no
    steeper than the sigmoid's steepest slope there."""
    start = similarity.sigmoid(lo)
    if hi <= lo:
        return start, 0.0
    grid = np.linspace(lo, hi, steps + 1)
    values = 1.0 / (1.0 + np.exp(-grid))
    first = min(max(0.0, lo), float(grid[1]))  # the sigmoid is steepest at 0
    rise = max(similarity.sigmoid(first) * (1.0 - similarity.sigmoid(first)),
               float(np.max((values[2:] - start) / (grid[1:-1] - lo))))
    return start, rise


def _mean_reaching(score: split.PairScore, mine: list[split.Member], theirs: list[split.Member],
                   ceilings: np.ndarray, bar: float) -> float | None:
    """The mean pair probability (as np.mean of every pair's, row by row), or None once the rows
    scored and the upper bounds of the rest (`_bound`'s, each pair's) cannot reach the bar: most
    candidates scored fall short, and their rows stop early. MARGIN covers the bounds' float32
    rounding, so no candidate that would reach the bar is cut short."""
    need = (bar - MARGIN) * ceilings.size
    rest = float(ceilings.sum(dtype=np.float64))
    scores: list[float] = []
    done = 0.0
    for i, a in enumerate(mine):
        row = [score(a, b) for b in theirs]
        scores += row
        done += sum(row)
        rest -= float(ceilings[i].sum(dtype=np.float64))
        if done + rest < need:
            return None
    return float(np.mean(scores))


def _bound(engine: Engine, mine: list[Doc], theirs: list[Doc], my_terms: set[str]) -> np.ndarray:
    """Upper bounds of each pair's probability from the cosines alone (rows: `mine`): its log-odds
    from its words and headlines plus the most the other features can add (Engine.ceiling's
    terms, as matrices: a candidate costs two small products, not KEPT² dictionary walks)."""
    w = engine.model.weights
    terms = _term_rows(mine, theirs, my_terms)
    logit = w.get("terms", 0.0) * terms
    one, other = _emb_rows(mine), _emb_rows(theirs)
    if one is not None and other is not None:
        logit += w.get("embedding", 0.0) * (one @ other.T)
    else:
        logit += w.get("no_embedding", 0.0)
    # Engine.ceiling with no cosines: the intercept and the most the other features add.
    logit += engine.ceiling(0.0, 0.0)
    return 1.0 / (1.0 + np.exp(-np.clip(logit, -40.0, 40.0)))


def _term_rows(mine: list[Doc], theirs: list[Doc], my_terms: set[str]) -> np.ndarray:
    """The term cosines of every pair (unit TF-IDF vectors), over the words both sides hold (`my_terms`,
    the union of mine's, is built once per event weighed): each article's own few terms placed in its
    row (a headline holds far fewer than the two sides share)."""
    shared = my_terms & set().union(*(d.vec for d in theirs))
    if not shared:
        return np.zeros((len(mine), len(theirs)), dtype=np.float32)
    column = {t: k for k, t in enumerate(sorted(shared))}
    return _rows(mine, column) @ _rows(theirs, column).T


def _rows(docs: list[Doc], column: dict[str, int]) -> np.ndarray:
    rows = np.zeros((len(docs), len(column)), dtype=np.float32)
    for r, d in enumerate(docs):
        for t, w in d.vec.items():
            k = column.get(t)
            if k is not None:
                rows[r, k] = w
    return rows


def _emb_rows(docs: list[Doc]) -> np.ndarray | None:
    """Unit headline embeddings, None unless every member has one (a side in another language)."""
    if any(d.emb is None for d in docs):
        return None
    rows = np.stack([d.emb for d in docs if d.emb is not None]).astype(np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)
