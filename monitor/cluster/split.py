"""Undoing a wrong first crossing later: an event that has become two events split apart again.

A join is decided on one article against what the event is at that moment, often a single
article: a second title fight, the same kind of fire in another town, reads like the first and
joins it. The twin event's later reports keep arriving into the merged event, and then each
half has its own places, actors, days and figures, which the join could not see. Here the
members of a grown event are read for *twin marks*: two cities, each named by a group of
members, with no member naming both, and a second pair of another kind (actors, weekdays two or
more days apart, figures) cutting the members the same way; the members naming neither go to
the group they are closer to by the pair probability (SemEval's pairs are scored so). The cut is
taken only when each half's members agree among themselves clearly more than across it (GAP).
Pure: no SQL; the engine applies a split and the store writes it in the batch's transaction.

Measured before building (ECB+ dev clustered to the end on main, each final cluster cut so):
the rule cuts the Wellington and Banstead supermarket fires and Klitschko's fights against Rahman
and Thompson exactly into their gold events, and no single-event cluster; one kind of mark alone,
or no GAP, cut 20 to 30 single-event clusters (a county and its town, a suspect and a victim,
each report's own numbers, home and away cities of one game).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal, Sequence

import numpy as np

from monitor.cluster import similarity
from monitor.cluster.vectors import dot
from monitor.cluster.weekdays import DAY_NAMES, near
from monitor.models import ArticleIdentity

MIN_GROUP = 2  # members naming a mark for it to be a group's (one article's word is not an event's)
MIN_HALF = 2  # members each half keeps
MAX_MEMBERS = 48  # events larger than this are not cut (nor their members kept for it)
COVER = 0.5  # the two groups name-marked together hold at least this share of the members
GAP = 0.10  # each half's mean pair probability exceeds the mean across the cut by this much


@dataclass(frozen=True)
class Member:
    """One member as the split reads it (built from the engine's Doc)."""

    article_id: int
    vec: dict[str, float]  # unit TF-IDF vector
    emb: np.ndarray | None  # headline embedding (unit or not)
    identity: ArticleIdentity
    has_text: bool
    at: float | None


@dataclass(frozen=True)
class Split:
    """A cut of an event: `leave` goes to a new event, `keep` stays (it holds the oldest member)."""

    keep: tuple[int, ...]
    leave: tuple[int, ...]
    reason: str


PairScore = Callable[[Member, Member], float]
MarkKind = Literal["place", "actor", "day", "figure"]


def pair_scorer(model: similarity.Model, name_weight: Callable[[str], float], window_hours: float) -> PairScore:
    """Two members scored as one article against a one-article event (SemEval's pairs are scored so)."""
    sides: dict[int, similarity.Side] = {}

    def side(m: Member) -> similarity.Side:
        found = sides.get(m.article_id)
        if found is None:
            found = sides[m.article_id] = similarity.side_of(m.identity, m.has_text)
        return found

    norms: dict[int, float] = {}  # each member's embedding norm, taken once (a member meets many)

    def norm(m: Member, emb: np.ndarray) -> float:
        found = norms.get(m.article_id)
        if found is None:
            found = norms[m.article_id] = float(np.linalg.norm(emb))
        return found

    def score(a: Member, b: Member) -> float:
        lexical = dot(a.vec, b.vec) if len(a.vec) <= len(b.vec) else dot(b.vec, a.vec)
        semantic = None
        if a.emb is not None and b.emb is not None:
            both = norm(a, a.emb) * norm(b, b.emb)
            semantic = float(a.emb @ b.emb) / both if both else 0.0
        gap = 0.0 if a.at is None or b.at is None else (a.at - b.at) / 3600
        ev = similarity.evidence(lexical, semantic, side(a), side(b), gap, window_hours, name_weight)
        return similarity.probability(model, ev)

    return score


@dataclass(frozen=True)
class Mark:
    """One thing a member names that tells events of a kind apart: where, who, which day, which figure."""

    kind: MarkKind
    key: str
    label: str = field(compare=False)  # as the reason shows it (one of the forms written)


def marks(member: Member, name_weight: Callable[[str], float]) -> set[Mark]:
    """A member's marks, read from its title and lead as the model reads them, and only for an
    article with a body (a bare headline's capitals name anything, as for places in the model)."""
    if not member.has_text:
        return set()
    found = {Mark("place", str(p.id), p.name) for p in member.identity.places if p.kind == "city"}
    found |= {Mark("actor", _bare(written), written) for k, written in member.identity.names
              if name_weight(k) >= similarity.TELLING_NAME}
    found |= {Mark("day", str(d), DAY_NAMES[d]) for d in member.identity.days}
    found |= {Mark("figure", n, n) for n in member.identity.numbers}
    return found


def _bare(written: str) -> str:
    """A name as one actor whatever its case or possessive: "Palin's", "Palin", "PALIN"."""
    return written.casefold().removesuffix("'s").removesuffix("’s").rstrip("'’")


@dataclass(frozen=True)
class Twins:
    """Two marks of one kind, each named by a group of members, no member naming both."""

    one: Mark
    other: Mark
    first: frozenset[int]  # member indexes naming `one`
    second: frozenset[int]

    def flipped(self) -> Twins:
        return Twins(self.other, self.one, self.second, self.first)


def _pairs_of_marks(found: Sequence[set[Mark]]) -> list[Twins]:
    """Every pair of same-kind marks whose member groups (MIN_GROUP or more each) are disjoint;
    days also not next to each other (a story told over days names the day before and after)."""
    groups: dict[Mark, set[int]] = {}
    for i, own in enumerate(found):
        for mark in own:
            groups.setdefault(mark, set()).add(i)
    big = sorted((m for m, g in groups.items() if len(g) >= MIN_GROUP), key=lambda m: (m.kind, m.key))
    out = []
    for x, one in enumerate(big):
        for other in big[x + 1:]:
            if other.kind != one.kind or groups[one] & groups[other]:
                continue
            if one.kind == "day" and near(int(one.key), int(other.key)):
                continue
            out.append(Twins(one, other, frozenset(groups[one]), frozenset(groups[other])))
    return out


def twins(found: Sequence[set[Mark]]) -> tuple[Twins, Twins] | None:
    """Two cities and a pair of marks of another kind that cut the members the same way (places
    Banstead and Wellington, and days Friday and Sunday, no member on both sides), covering COVER
    of the members or more: the most covering such two. One kind alone is not enough: within one
    event some reports name its county and others its town, some its suspect and others its victim,
    and each report its own numbers."""
    pairs = _pairs_of_marks(found)
    places = [t for t in pairs if t.one.kind == "place"]
    others = [t for t in pairs if t.one.kind != "place"]
    best: tuple[int, Twins, Twins, bool] | None = None
    for a in places:
        a_first, a_second = a.first, a.second
        for b in others:
            for b_first, b_second, flip in ((b.first, b.second, False), (b.second, b.first, True)):
                # The two groups (a's first with b's, a's second with b's) share no member: as each
                # pair's own groups are disjoint, that is a's first apart from b's second and b's
                # first apart from a's second (tested without building the unions).
                if a_first.isdisjoint(b_first) or a_second.isdisjoint(b_second) \
                        or not a_first.isdisjoint(b_second) or not b_first.isdisjoint(a_second):
                    continue
                cover = len(a_first | b_first) + len(a_second | b_second)
                if best is None or cover > best[0]:
                    best = (cover, a, b, flip)  # flipped only once chosen: this loop runs for every pair
    if best is None or best[0] < COVER * len(found):
        return None
    return best[1], best[2].flipped() if best[3] else best[2]


def _mean_within(p: np.ndarray, mask: np.ndarray) -> float:
    sub = p[np.ix_(mask, mask)]
    n = len(sub)
    return float((sub.sum() - np.trace(sub)) / (n * (n - 1))) if n > 1 else 1.0


def propose(members: Sequence[Member], score: PairScore, name_weight: Callable[[str], float]) -> Split | None:
    """The cut of these members (oldest first) into two events when their twin marks show one
    (`twins`) and the halves hold together apart (GAP); else None. The members naming neither mark
    go to the group they are closer to by the pair probability; the half holding the oldest member
    keeps the event."""
    n = len(members)
    if n < 2 * MIN_HALF or n > MAX_MEMBERS:
        return None
    found = twins([marks(m, name_weight) for m in members])
    if found is None:
        return None
    pair, also = found
    first, second = sorted(pair.first | also.first), sorted(pair.second | also.second)
    leave = np.zeros(n, dtype=bool)
    leave[second] = True
    marked = set(first) | set(second)
    p = np.eye(n)
    for x in range(n):
        for y in range(x + 1, n):
            p[x, y] = p[y, x] = score(members[x], members[y])
    for k in range(n):
        if k not in marked:
            leave[k] = p[k, second].mean() > p[k, first].mean()
    if leave[0]:
        leave = ~leave
        pair, also = pair.flipped(), also.flipped()
        first, second = second, first
    keep = ~leave
    if keep.sum() < MIN_HALF or leave.sum() < MIN_HALF:
        return None
    within = min(_mean_within(p, keep), _mean_within(p, leave))
    across = float(p[np.ix_(keep, leave)].mean())
    if within - across < GAP:
        return None
    reason = (f"split: {pair.one.kind}s {pair.one.label} ≠ {pair.other.label}, {also.one.kind}s {also.one.label} ≠ "
              f"{also.other.label}; pairs within p {within:.2f}, across {across:.2f}")
    return Split(tuple(m.article_id for m, out in zip(members, leave) if not out),
                 tuple(m.article_id for m, out in zip(members, leave) if out), reason)


def two_cities(side: similarity.Side) -> bool:
    """Whether an event's members name two cities MIN_GROUP times or more each: without them no
    member groups can hold a pair of places (`twins` needs one), so no cut is looked for.
    `side.places` counts every member naming a city (bare headlines too), at least as many as
    the members whose marks name it."""
    return sum(1 for n in side.places.values() if n >= MIN_GROUP) >= 2


def due(size: int) -> bool:
    """Look for a cut as an event grows: at every member while it is small, then at every fourth."""
    return 2 * MIN_HALF <= size <= MAX_MEMBERS and (size <= 16 or size % 4 == 0)
