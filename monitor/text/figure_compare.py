"""An event's figures side by side: grouped by what they count, how each claimant's value moved,
and which claimants disagree.

A group is what the figures count ("killed" and "losses" compare as one: both are tolls) and,
for counts that are not tolls, who they are about ("Russian troops" and "North Korean troops"
are two groups). Within a group, one series per claimant (unattributed figures form one series
of their own): a claimant's or the unattributed reports' value moving over time is a change
(3 killed, then 5: latest 5), never a contradiction. Two claimants whose latest values do not
overlap, even widened by TOLERANCE, disagree. Every value is an interval: "about" widens it,
"more than" opens it upwards, a range or "dozens" spans it, so "more than 40" and "45" agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from monitor.text.claimants import claimant_key
from monitor.text.figures import Figure, party_key

TOLERANCE = 0.15  # relative: two values this close are the same figure
ABOUT = 0.10  # "about 1,200" spans +-10 %
_FAMILY = {"killed": "tolls", "losses": "tolls"}
CUMULATIVE = frozenset({"killed", "wounded", "losses", "prisoners", "displaced"})  # counts that only grow
_SIDE_WORD = re.compile(r"^[A-Z][a-z]+(?:ian|ean|ese|ish|ch|i|ic)$|^[A-Z][a-z]+['’]s$")
_FAMILY_LABEL = {"tolls": "killed / losses"}
UNATTRIBUTED = "unattributed"


@dataclass(frozen=True)
class Reported:
    """A figure and where it was published."""

    figure: Figure
    article_id: int
    source: str
    published_at: str | None
    language: str | None
    url: str | None


@dataclass(frozen=True)
class Series:
    """One claimant's values for one group, oldest first (each value once, from its first source)."""

    claimant: str  # as first written, or UNATTRIBUTED
    points: tuple[Reported, ...]

    @property
    def latest(self) -> Reported:
        return self.points[-1]

    @property
    def changed(self) -> bool:
        return len(self.points) > 1


@dataclass(frozen=True)
class Disagreement:
    first: Reported
    second: Reported


@dataclass(frozen=True)
class FigureGroup:
    key: str  # "tolls", "troops|north korea"
    label: str  # "killed / losses", "troops (North Korean)"
    series: tuple[Series, ...]
    disagreements: tuple[Disagreement, ...]

    @property
    def latest(self) -> Reported:
        return max((s.latest for s in self.series), key=lambda r: (r.published_at or "", r.article_id))


def interval(figure: Figure) -> tuple[float, float]:
    low, high = figure.value, figure.high if figure.high is not None else figure.value
    if figure.qualifier == "about":
        return low * (1 - ABOUT), high * (1 + ABOUT)
    if figure.qualifier in ("more_than", "at_least"):
        return low, float("inf")
    if figure.qualifier in ("less_than", "up_to"):
        return 0.0, high
    return low, high


def disagree(a: Figure, b: Figure, tolerance: float = TOLERANCE) -> bool:
    """Do the two values' intervals, each widened by `tolerance`, fail to meet?"""
    (a_low, a_high), (b_low, b_high) = interval(a), interval(b)
    return a_high * (1 + tolerance) < b_low * (1 - tolerance) or b_high * (1 + tolerance) < a_low * (1 - tolerance)


def group_key(figure: Figure) -> tuple[str, str]:
    family = _FAMILY.get(figure.counts, figure.counts)
    if family == "tolls" or figure.counts in ("wounded", "percent", "area", "distance"):
        return family, _FAMILY_LABEL.get(family, figure.counts)
    party = party_key(figure.party)
    label = f"{figure.counts} ({figure.party})" if figure.party else figure.counts
    return f"{family}|{party}", label


def _value(figure: Figure) -> tuple[float, float | None, str, str]:
    return figure.value, figure.high, figure.qualifier, figure.counts


def _series(reports: list[Reported]) -> list[Series]:
    by_claimant: dict[str, list[Reported]] = {}
    for report in sorted(reports, key=lambda r: (r.published_at or "", r.article_id, r.figure.position)):
        by_claimant.setdefault(claimant_key(report.figure.claimant) or UNATTRIBUTED, []).append(report)
    out = []
    for points in by_claimant.values():
        kept: list[Reported] = []
        for point in points:  # a value repeated by later copies is one point: the first source
            if not kept or _value(kept[-1].figure) != _value(point.figure):
                kept.append(point)
        out.append(Series(points[0].figure.claimant or UNATTRIBUTED, tuple(kept)))
    return out


def side(claimant: str | None) -> str:
    """The side a claimant speaks for, when its words say so ("Ukrainian military officials",
    "Russia's defence ministry", "Ukraine"); "" when they do not (a governor's name)."""
    words = (claimant or "").split()
    if len(words) == 1 and words[0][:1].isupper():
        return party_key(words[0])
    for word in words:
        if _SIDE_WORD.match(word):
            return party_key(word.removesuffix("'s").removesuffix("’s"))
    return ""


def _disagreement(a: Series, b: Series) -> bool:
    """Two claimants' latest values about the same thing (place unsaid or the same) that do not meet.

    A count that only grows (a toll), reported higher later by a claimant of the same or an unknown
    side, is the figure moving on, not a contradiction."""
    first, second = sorted((a.latest, b.latest), key=lambda r: r.published_at or "")
    one, two = first.figure, second.figure
    same_place = not one.scope or not two.scope or party_key(one.scope) == party_key(two.scope)
    same_thing = one.counts == two.counts or _FAMILY.get(one.counts) == _FAMILY.get(two.counts) == "tolls"
    if not (same_place and same_thing and disagree(one, two)):
        return False
    sides = side(one.claimant), side(two.claimant)
    opposed = all(sides) and sides[0] != sides[1]
    grew = (one.counts in CUMULATIVE and (first.published_at or "") < (second.published_at or "")
            and interval(two)[1] >= interval(one)[0])
    return opposed or not grew


def compare(reports: list[Reported]) -> list[FigureGroup]:
    """The groups, those with disagreements first; disagreements are between named claimants."""
    grouped: dict[str, tuple[str, list[Reported]]] = {}
    for report in reports:
        key, label = group_key(report.figure)
        grouped.setdefault(key, (label, []))[1].append(report)
    groups = []
    for key, (label, members) in grouped.items():
        series = _series(members)
        named = [s for s in series if s.claimant != UNATTRIBUTED]
        disagreements = tuple(Disagreement(a.latest, b.latest) for a, b in combinations(named, 2) if _disagreement(a, b))
        groups.append(FigureGroup(key, label, tuple(series), disagreements))
    return sorted(groups, key=lambda g: (-len(g.disagreements), -sum(len(s.points) for s in g.series), g.key))
