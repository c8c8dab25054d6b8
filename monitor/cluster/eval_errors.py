"""Which joins merged gold events, and why: `monitor eval clusters --merged`.

A merged gold event is an error of one decision: the first article that put it in a cluster already
holding another gold event (or, in an event's first article, the other's first article joining
it). Replayed in the order the clusterer decided, each such first crossing is listed once per pair of
gold events with the article's stored reason, so the features that carried the join can be read.
Crossings no join shows (two clusters merged) are listed with the merge as their reason.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from monitor.models import Assignment


@dataclass(frozen=True)
class Crossing:
    """The join that first put gold event `event` in a cluster holding gold event `into`."""

    event: str  # the gold event of the article that crossed
    into: str  # the gold event most of the cluster's members belonged to when it did
    article: int  # its position in the dataset (0-based)
    title: str
    score: float
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)


def crossings(assignments: list[Assignment | None], gold: list[str], titles: list[str],
              final: list[int]) -> list[Crossing]:
    """First crossing of each pair of gold events, in decision order.

    `assignments[i]` is item i's decision (its cluster as of that decision, merges within it
    included), `final[i]` its cluster at the end. Pairs that share a final cluster without any
    join crossing them were merged cluster to cluster."""
    held: dict[int, Counter[str]] = {}  # cluster id (as decided) -> gold events in it so far
    seen: set[tuple[str, str]] = set()
    out: list[Crossing] = []
    for n, a in enumerate(assignments):
        if a is None:
            continue
        inside = held.setdefault(a.cluster_id, Counter())
        others = [g for g in inside if g != gold[n]]
        if others and gold[n] not in inside:
            into = max(others, key=lambda g: (inside[g], g))
            pair = tuple(sorted((gold[n], into)))
            if pair not in seen:
                seen.add(pair)  # type: ignore[arg-type]
                out.append(Crossing(gold[n], into, n, titles[n], a.score, a.reason))
        inside[gold[n]] += 1
    by_final: dict[int, Counter[str]] = {}
    first: dict[str, int] = {}
    for n, (g, c) in enumerate(zip(gold, final)):
        by_final.setdefault(c, Counter())[g] += 1
        first.setdefault(g, n)
    for counts in by_final.values():
        events = sorted(counts, key=lambda g: (-counts[g], g))
        for g in events[1:]:
            pair = tuple(sorted((g, events[0])))
            if pair not in seen:
                seen.add(pair)  # type: ignore[arg-type]
                n = first[g]
                out.append(Crossing(g, events[0], n, titles[n], 0.0, "clusters merged after their joins"))
    return out
