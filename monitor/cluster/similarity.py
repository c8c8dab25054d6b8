"""One learned, explainable similarity between an article and an event.

The evidence (term cosine, embedding cosine, place agreement and conflict, shared names and
numbers, the event's actors the article does not name, other weekdays named, time gap, language) is combined by a
logistic regression fitted offline on the labelled datasets (scripts/fit_similarity.py; the coefficients are in coefficients.py). Each
feature's part of the log-odds is kept, so the stored reason reads
"p 0.91: terms 0.41 +1.62, place Kharkiv +0.95, place conflict Kyiv ≠ Kharkiv -0.41, ...".

Minimum evidence: no join without a shared content term (one not in most documents) in the
article's own words: neither an embedding nor a place alone files an article. How much the
words share is the fit's to weigh, not a floor's: the cosine against an event's summed words
falls as the event grows and its wording varies, so a floor on it turned away exactly the
articles that share the terms of a big event (on Google News, ten articles with p 0.50-0.84
against events of 11-265 members, at cosines of 0.02-0.048). MIN_TERMS is that floor only
between two events (a merge) and the term index's cut (engine.lexical_floor). And no join across places (the engine's veto):
an article whose "where" (where_of: its first-named city of WHERE_POPULATION people or more,
when it has a body) none of the event's members names, while most of them name another city
of the same country or a bordering one first (gazetteer.one_front), reports another event,
however alike the words (the labelled sets hold too few such pairs for the fit to learn it:
where_conflict came out near -0.2). Nor a merge
of two events whose own figures differ (figures_differ: a score, a toll most members name).
"""
from __future__ import annotations

import contextlib
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator

from monitor.cluster import coefficients
from monitor.cluster.gazetteer import one_front
from monitor.text.name_skeleton import skeletons
from monitor.cluster.weekdays import DAY_NAMES, near
from monitor.models import ArticleIdentity, Place

WHERE_POPULATION = 15_000  # every city the gazetteer reads (frontline towns: Pokrovsk, Kupiansk)
MIN_TERMS = 0.05  # the least term cosine between two events' words that counts as shared content
TELLING_NAME = 2.0  # a name's least IDF to tell events apart (in under ~1 in 7 articles)
FEATURES = ("terms", "embedding", "no_embedding", "place_agree", "place_conflict", "terms_in_conflict",
            "embedding_in_conflict", "where_conflict", "terms_where_conflict", "names", "names_disjoint", "core_missing",
            "numbers", "days_differ", "embedding_days_differ",
            "headline_only", "embedding_text", "terms_headline", "embedding_headline",
            "time_gap", "other_language", "embedding_closest")
COSINE_FEATURES = ("terms", "embedding", "no_embedding")  # what a candidate's ranking already knows
# The sign each weight may take (the fit is constrained to it): agreement never counts against
# a join, conflict and distance never for it. None: either way.
SIGNS: dict[str, int | None] = {"terms": 1, "embedding": 1, "no_embedding": None, "place_agree": 1,
                                "place_conflict": -1, "terms_in_conflict": -1, "embedding_in_conflict": -1,
                                "where_conflict": -1, "terms_where_conflict": -1,
                                "names": 1, "names_disjoint": -1, "core_missing": -1, "numbers": 1,
                                "days_differ": -1, "embedding_days_differ": -1, "headline_only": None,
                                "embedding_text": None,
                                "terms_headline": None, "embedding_headline": None,
                                "time_gap": -1, "other_language": None, "embedding_closest": 1}


@dataclass(frozen=True)
class Model:
    intercept: float
    weights: dict[str, float]

    def logit(self, values: dict[str, float]) -> float:
        weight = self.weights.get  # summed from a list: the same terms in the same order as a generator's
        return self.intercept + sum([weight(k, 0.0) * v for k, v in values.items()])


@dataclass(slots=True)  # its fields read by offset: `evidence` reads a dozen of both sides per candidate
class Side:
    """What an event (or one article) names, aggregated over its members."""

    places: Counter[int] = field(default_factory=Counter)  # city geonameid -> members naming it
    wheres: Counter[int] = field(default_factory=Counter)  # the first city each member names: where it happened
    place_names: dict[int, str] = field(default_factory=dict)
    place_countries: dict[int, str] = field(default_factory=dict)
    names: Counter[str] = field(default_factory=Counter)
    core: set[str] = field(default_factory=set)  # names more than half the members name: the event's actors
    numbers: Counter[str] = field(default_factory=Counter)
    figures: set[str] = field(default_factory=set)  # numbers more than half the members name: the event's own
    days: Counter[int] = field(default_factory=Counter)  # weekday -> members naming it
    languages: Counter[str] = field(default_factory=Counter)
    language: str = ""  # the language most members are in
    members: int = 0
    texts: int = 0  # members with a body (a lead), not a bare headline
    # Its names' skeletons (name_skeleton.py) -> members naming them: who, across scripts
    # (across_languages.py reads them; the fitted features read `names`).
    skeletons: Counter[str] = field(default_factory=Counter)

    @property
    def headline_only(self) -> bool:
        return self.members > 0 and self.texts == 0

    def add(self, identity: ArticleIdentity, has_text: bool = True) -> None:
        self.members += 1
        self.texts += has_text
        where = where_of(identity, has_text)
        if where is not None:
            self.wheres[where.id] += 1
        for p in identity.places:
            if p.kind == "city":
                self.places[p.id] += 1
                self.place_names[p.id] = p.name
                self.place_countries[p.id] = p.country
        keys = identity.name_keys
        names, numbers, days = self.names, self.numbers, self.days
        for k in keys:  # counted one by one: Counter.update's own checks cost more for a few keys
            names[k] += 1
        crossing = self.skeletons
        for k in skeletons(identity.names):
            crossing[k] += 1
        # Kept as members arrive: a name enters the core only when named, and the core (a few
        # names) is checked again as the member count grows; O(names of one article).
        self.core = {k for k in self.core | keys if 2 * self.names[k] > self.members}
        for n in identity.numbers:
            numbers[n] += 1
        self.figures = {n for n in self.figures.union(identity.numbers) if 2 * numbers[n] > self.members}
        for d in identity.days:
            days[d] += 1
        if identity.language:
            self.languages[identity.language] += 1
            if identity.language != self.language:  # the leading language only gained: it still leads
                self._settle_language()

    def _settle_language(self) -> None:
        self.language = min(self.languages, key=lambda k: (-self.languages[k], k))

    def absorb(self, other: Side) -> None:
        self.places.update(other.places)
        self.wheres.update(other.wheres)
        self.place_names.update(other.place_names)
        self.place_countries.update(other.place_countries)
        self.names.update(other.names)
        self.skeletons.update(other.skeletons)
        self.numbers.update(other.numbers)
        self.days.update(other.days)
        self.languages.update(other.languages)
        self.members += other.members
        self.texts += other.texts
        self.core = {k for k, n in self.names.items() if 2 * n > self.members}
        self.figures = {k for k, n in self.numbers.items() if 2 * n > self.members}
        if self.languages:
            self._settle_language()


@dataclass(frozen=True)
class Evidence:
    values: dict[str, float]
    shared_places: tuple[str, ...] = ()
    conflict: tuple[str, str] | None = None  # (article's place, event's place)
    shared_names: tuple[str, ...] = ()
    missing_names: tuple[str, ...] = ()  # the event's actors the article does not name
    days_apart: tuple[int, int] | None = None  # (article's weekday, event's): both name some, none shared
    figures_apart: tuple[str, str] | None = None  # two events' own figures differ (figures_differ): no merge


def where_of(identity: ArticleIdentity, has_text: bool) -> Place | None:
    """Where an article says it happened: the first city its title and lead name, when the article
    has a body to say it in. A bare headline's capitals (Title Case) name anything ("Obama",
    "Carney", "Deal" resolved as towns in the labelled headlines): as a veto, that noise cost ECB+
    B³ F1 0.88 -> 0.83 and UCI 0.87 -> 0.76. With a body, towns under 100,000 people count too
    (they are resolved by their own name only, the gazetteer's ALTERNATES_FROM): with that cut a
    strike on Pokrovsk joined one on Dnipro, while every labelled set's figure is the same without it."""
    if not has_text:
        return None
    first = next((p for p in identity.places if p.kind == "city"), None)
    return first if first is not None and first.population >= WHERE_POPULATION else None


def side_of(identity: ArticleIdentity, has_text: bool = True) -> Side:
    """One article's side: what `Side().add(identity, has_text)` makes, built directly (one is
    built for each article weighed: the generic add re-derives the core, the figures and the
    language for a side of one member). tests/cluster/test_decision_shortcuts.py checks they agree,
    field by field and in each field's order."""
    places: Counter[int] = _counter()
    wheres: Counter[int] = _counter()
    place_names: dict[int, str] = {}
    place_countries: dict[int, str] = {}
    where = where_of(identity, has_text)
    if where is not None:
        wheres[where.id] = 1
    for p in identity.places:
        if p.kind == "city":
            places[p.id] += 1
            place_names[p.id] = p.name
            place_countries[p.id] = p.country
    keys = identity.name_keys
    names: Counter[str] = _counter()
    for k in keys:
        names[k] = 1
    numbers: Counter[str] = _counter()
    for n in identity.numbers:
        numbers[n] += 1
    days: Counter[int] = _counter()
    for d in identity.days:
        days[d] += 1
    languages: Counter[str] = _counter()
    if identity.language:
        languages[identity.language] = 1
    crossing: Counter[str] = _counter()
    for k in skeletons(identity.names):
        crossing[k] = 1
    # Of one member, every name and number is named by more than half: all are core and figures
    # (the sets made as `add` makes them, so they iterate in its order).
    core = {k for k in set() | keys}
    figures = {n for n in set().union(identity.numbers)}
    return Side(places, wheres, place_names, place_countries, names, core, numbers, figures,
                days, languages, identity.language, 1, 0 + has_text, crossing)


def _counter() -> Counter:
    """An empty Counter without Counter.__init__ (a Python call that, with nothing to count, does
    nothing): a Counter is a dict whose missing keys count 0."""
    return Counter.__new__(Counter)


def evidence(lexical: float, semantic: float | None, article: Side, event: Side, gap_hours: float,
             window_hours: float, name_weight, closest: float | None = None) -> Evidence:
    """The features of one article (or small event) against an event; `closest`, the article's
    embedding cosine with the event's few most similar members (Cluster.closest_cosine)."""
    # Places count between articles with a body: a bare headline's capitals (Title Case) resolve
    # anything ("Carney", "Deal" as towns), and as evidence they cost UCI B3 F1 0.860 -> 0.850.
    placed = article.texts > 0 and event.texts > 0
    shared = [pid for pid in article.places if pid in event.places] if placed else []
    conflict = None
    if placed and article.places and event.places and not shared:
        mine = min(article.places, key=lambda p: (-article.places[p], p))
        named = max(event.places, key=lambda p: (event.places[p], -p))
        conflict = (article.place_names[mine], event.place_names[named])
    weights = {k: name_weight(k) for k in article.names}  # once each: this runs per candidate weighed
    total = sum(weights.values())
    common = [k for k in weights if k in event.names]
    names = sum(weights[k] for k in common) / total if total else 0.0
    # Both name people or bodies worth telling apart, and none of the same: other actors (the
    # event's names are read only when no name is shared).
    disjoint = (not common and any(w >= TELLING_NAME for w in weights.values())
                and any(name_weight(k) >= TELLING_NAME for k in event.names))
    # The event's actors (telling names most of its members name) that the article, naming a
    # telling actor the event never named, does not name: the same kind of event with other
    # people (Klitschko against Rahman, then against Thompson). A cluster-level feature: one
    # member's names do not make it. Between articles with bodies, as places: a bare headline's
    # capitals name anything.
    core = [k for k in event.core if name_weight(k) >= TELLING_NAME] if placed and event.members >= 2 else []
    newcomer = any(w >= TELLING_NAME and k not in event.names for k, w in weights.items()) if core else False
    absent = sorted(k for k in core if k not in weights) if newcomer else []
    missing = len(absent) / len(core) if absent else 0.0
    numbers = 1.0 if any(n in event.numbers for n in article.numbers) else 0.0
    figures_apart = figures_differ(article, event)
    # The day it happened: both name weekdays (title and lead), none the same or the day next to
    # it (weekdays.py: a story told over days names the day before and after).
    days_apart = None
    if placed and article.days and event.days and not any(near(d, e) for d in article.days for e in event.days):
        days_apart = (next(iter(article.days)), max(event.days, key=lambda d: (event.days[d], -d)))
    other = 1.0 if article.language and event.language and article.language != event.language else 0.0
    against = 1.0 if conflict else 0.0
    # Where it happened (where_of), against where most of the event's members say it happened.
    here = next(iter(article.wheres), None)
    theirs = main_where(event)
    # Both say where it happened, with one voice on the event's side, neither names the other's
    # city, and the two cities are in one country or two that share a border: the same kind of
    # event elsewhere (strikes on Kyiv and on Kharkiv, on Kursk and on Pokrovsk). Farther apart a
    # city is as often a dateline or a false match (a Washington dateline against "Artemis" read
    # as Artëm split a story group).
    elsewhere = (here is not None and theirs is not None and 2 * event.wheres[theirs] > event.members
                 and here not in event.places and theirs not in article.places
                 and one_front(article.place_countries.get(here), event.place_countries.get(theirs)))
    if elsewhere and conflict is None and here is not None and theirs is not None:
        conflict = (article.place_names[here], event.place_names[theirs])
    away = 1.0 if elsewhere else 0.0
    bare = 1.0 if article.headline_only else 0.0
    # Against an event of three or more articles with bodies, the words read all their texts and
    # the embedding only headlines: the headlines' look weighs less there (one article against one
    # or two, as in SemEval's pairs and a new event, it does not; from two, the story groups'
    # editorials and follow-ups split off), and its closest members' headlines add nothing.
    texts = placed and event.texts >= 3
    values = {"terms": lexical, "embedding": semantic or 0.0, "no_embedding": 1.0 if semantic is None else 0.0,
              "place_agree": 1.0 if shared else 0.0, "place_conflict": against,
              # Shared words weigh less between reports from two different places ("strike", "governor").
              "terms_in_conflict": lexical * against, "embedding_in_conflict": (semantic or 0.0) * against,
              "where_conflict": away, "terms_where_conflict": lexical * away,
              "names": names, "names_disjoint": 1.0 if disjoint else 0.0,
              "core_missing": missing, "numbers": numbers,
              # Other days named: evidence against, and the headline's look ("same kind of event")
              # weighs less (fitted on the two; with TF-IDF alone only the first).
              "days_differ": 1.0 if days_apart else 0.0,
              "embedding_days_differ": (semantic or 0.0) if days_apart else 0.0,
              # A bare headline (no body: headline datasets, title-only feed items): its cosines run
              # on a few words and mean something else than an article's (their own slopes).
              "headline_only": bare, "terms_headline": lexical * bare,
              "embedding_headline": (semantic or 0.0) * bare,
              "embedding_text": (semantic or 0.0) if texts else 0.0,
              # How much closer the headline is to the event's few most similar members than to
              # its summed embedding: a story told in many words dilutes its sum, not the part of it
              # the article tells (0 against a one-article event: its member is its sum).
              "embedding_closest": max(0.0, closest - (semantic or 0.0)) if closest is not None and not texts else 0.0,
              "time_gap": min(abs(gap_hours) / window_hours, 2.0) if window_hours else 0.0,
              "other_language": other}
    return Evidence(values, tuple(article.place_names[p] for p in shared), conflict,
                    tuple(sorted(common)[:4]), tuple(absent[:2]), days_apart, figures_apart)


def main_where(side: Side) -> int | None:
    """The city a side says it happened in: an article's own, an event's most named (ties: the smaller id)."""
    return min(side.wheres, key=lambda p: (-side.wheres[p], p)) if side.wheres else None


def elsewhere(identity: ArticleIdentity, has_text: bool, event: Side) -> bool:
    """The article says it happened in a city the event never names, while the event's members say
    it happened in other cities of that country or of one bordering it (`one_front`): not a copy of
    any member's text, however alike (live updates that differ only by the city: "Update 102:
    Russian strike on Sumy wounds two")."""
    here = where_of(identity, has_text)
    return (here is not None and here.id not in event.places
            and any(one_front(event.place_countries.get(p), here.country) for p in event.wheres))


def figures_differ(article: Side, event: Side) -> tuple[str, str] | None:
    """Two events' own figures (the numbers most of each one's members name: a score, a toll, a
    magnitude), when both have some and share none: the same kind of event with other figures (the
    Colts' 20-13 win over the Chiefs and their 31-24 one over the Jaguars, whose summed words,
    headlines, names and any-number-shared all agree). The engine's merge refuses them. Between two
    events of two or more members only, not in a join: one article's numbers are not yet an
    event's word on its figures (as a fitted feature on the joins, a pair's or an article's numbers
    against an event's figures came out -0.53, unstable between halves, and cost ECB+ recall; a
    pair's numbers that differ split a story group on "60 ≠ 45" frames per second)."""
    if article.members < 2 or event.members < 2 or not event.figures or not article.figures:
        return None
    if article.figures & event.figures:
        return None
    return (min(article.figures, key=lambda n: (-article.numbers[n], n)),
            min(event.figures, key=lambda n: (-event.numbers[n], n)))


_override: dict[str, Model] = {}


def model(embeddings: bool) -> Model:
    """The shipped model for the signal in use (or one a fitting script is trying)."""
    kind = "embedding" if embeddings else "lexical"
    if kind in _override:
        return _override[kind]
    table = coefficients.EMBEDDING if embeddings else coefficients.LEXICAL
    return Model(table["intercept"], {k: v for k, v in table.items() if k != "intercept"})


@contextlib.contextmanager
def trying(models: dict[str, Model]) -> Iterator[None]:
    """Use these models in this process for a while (scripts/fit_similarity.py's held-out checks)."""
    saved = dict(_override)
    _override.update(models)
    try:
        yield
    finally:
        _override.clear()
        _override.update(saved)


def probability(m: Model, ev: Evidence) -> float:
    return sigmoid(m.logit(ev.values))


def sigmoid(z: float) -> float:
    """A log-odds as a probability (clamped: exp overflows past a few hundred)."""
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


LABELS = {"terms": "terms", "embedding": "embedding", "names": "names", "numbers": "numbers",
          "time_gap": "time gap", "other_language": "other language", "names_disjoint": "no name in common",
          "headline_only": "headline only", "core_missing": "actors not named",
          "embedding_closest": "closest members"}


_CONFLICT_KEYS = ("place_conflict", "terms_in_conflict", "embedding_in_conflict", "where_conflict",
                  "terms_where_conflict")
# One line per signal, whatever the regime: its regime terms are added to its own part.
_FOLDED = {"terms": ("terms_headline",), "embedding": ("embedding_headline", "embedding_text"),
           "days_differ": ("embedding_days_differ",)}
_HIDDEN = frozenset({k for keys in _FOLDED.values() for k in keys} | set(_CONFLICT_KEYS[1:]))


def explain(m: Model, ev: Evidence, limit: int = 5) -> str:
    """Each feature's part of the log-odds, largest first: "place conflict Kyiv ≠ Kharkiv -0.41"."""
    parts = []
    conflict_keys, folded, weight = _CONFLICT_KEYS, _FOLDED, m.weights.get
    for key, value in ev.values.items():
        if key in _HIDDEN or (not value and key != "place_conflict"):
            continue  # folded into another line, or nothing to show (the test below, sooner)
        part = weight(key, 0.0) * value
        if key in folded:
            part += sum(weight(k, 0.0) * ev.values.get(k, 0.0) for k in folded[key])
        if key == "place_conflict":  # one line for the conflict and what it takes from the shared words
            part = sum(weight(k, 0.0) * ev.values.get(k, 0.0) for k in conflict_keys)
            value = max(value, ev.values.get("where_conflict", 0.0))
        if not value or abs(part) < 0.005:
            continue
        if key == "place_agree":
            label = "place " + ", ".join(ev.shared_places[:2])
        elif key == "place_conflict" and ev.conflict:
            label = f"place conflict {ev.conflict[0]} ≠ {ev.conflict[1]}"
        elif key in ("no_embedding", "names_disjoint", "headline_only"):
            label = LABELS.get(key, "no embedding")
        elif key == "core_missing" and ev.missing_names:
            label = f"actors not named ({', '.join(ev.missing_names)}) {value:.2f}"
        elif key == "days_differ" and ev.days_apart:
            label = f"days differ {DAY_NAMES[ev.days_apart[0]]} ≠ {DAY_NAMES[ev.days_apart[1]]}"
        elif key == "names" and ev.shared_names:
            label = f"names {value:.2f}"
        else:
            label = f"{LABELS.get(key, key)} {value:.2f}"
        parts.append((abs(part), f"{label} {part:+.2f}"))
    parts.sort(key=lambda p: -p[0])
    return ", ".join(text for _, text in parts[:limit])
