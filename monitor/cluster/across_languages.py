"""One event reported in two languages: the same city, the same figures, the same person, the same day.

The fitted similarity reads words and an English headline embedding. Across languages it has
neither: an English and a Ukrainian report of one Kharkiv strike share no term (two scripts), and
MiniLM reads English only, so the English report never becomes the Ukrainian one's candidate.
Between Russian and Ukrainian the stems differ too (Синєгубов / Синегубов): p 0.35.

This rule therefore sits beside the fit, as the where veto does. It applies only to an event none
of whose members is in the article's language, because there the words had no say. It joins when
all of these hold:
- both have bodies and say where it happened (`similarity.where_of`), and it is the same city;
- they are at most SAME_STORY_HOURS apart, and name no different weekdays;
- they name a figure in common: a number of two or more digits that is not a date (the day's,
  a year) nor part of a name ("Covid-19"), or a count of people the figures reader
  (text/figures.py) reads in the title or the lead's first sentences, in digits or in words
  ("троє загиблих", "three killed": 3): a toll, never a date, a time or an ordinal, since the
  reader counts only a number followed or preceded by what it counts;
- they name a person in common, by a telling name.
A name alone is not enough: the governor of a city is named in every report from it. Nor is a
city and a day: two strikes on Kharkiv in one day differ by their figures.

Names match across scripts by their skeletons (name_skeleton.py). No labelled set here holds one
event in two languages, so nothing is fitted. The rule is hand-set and narrow on purpose, and its
reason names every part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

from monitor.text.figures import Figure
from monitor.text.numbers import ORDINAL_ENDING
from monitor.text.name_skeleton import name_skeleton, same_person
from monitor.cluster.similarity import Side, main_where
from monitor.cluster.weekdays import near

SAME_STORY_HOURS = 12.0  # reports of one strike follow it within hours; the evening's strike is another
# What a toll counts (text/figures.py's COUNTS and CASUALTIES keys that count people), read where
# the identity reads its numbers: the title (sentence 0) and the lead's first sentences.
TOLL_COUNTS = frozenset({"killed", "wounded", "people", "troops", "prisoners", "displaced"})
TOLL_SENTENCES = 3


def tolls(figures: Iterable[Figure]) -> frozenset[str]:
    """The counts of people these figures state exactly in a title or lead ("3", "27"), as text;
    not a number its sentence writes as an ordinal ("2-й удар")."""
    return frozenset(f"{f.value:g}" for f in figures if f.counts in TOLL_COUNTS and f.qualifier == "exact"
                     and f.position <= TOLL_SENTENCES and f.value >= 1 and f.value == int(f.value)
                     and not _ordinal(f))


def _ordinal(figure: Figure) -> bool:
    """Its digits also stand as a rank in its sentence ("3 killed in the 3-й удар"): the reader drops
    a rank itself (text/numbers.py), not the same digits written as a count beside it."""
    written = figure.number_text.strip()
    return written[-1:].isdigit() and re.search(rf"(?<![\d.,]){re.escape(written)}{ORDINAL_ENDING}",
                                                figure.sentence, re.IGNORECASE) is not None


def no_tolls() -> frozenset[str]:
    return frozenset()


@dataclass(frozen=True)
class Across:
    """Why an article joins an event in another language: every part of the rule, as found."""

    where: str
    names: tuple[str, ...]  # the article's names, as it writes them, that the event's members name too
    numbers: tuple[str, ...]  # two or more digits both name
    hours: float
    languages: tuple[str, str]  # (the article's, the event's leading one)
    tolls: tuple[str, ...] = ()  # counts of people both state (in digits or words), not among `numbers`

    def reason(self) -> str:
        figures = (f"numbers {', '.join(self.numbers)}, " if self.numbers else "") + \
            (f"toll {', '.join(self.tolls)}, " if self.tolls else "")
        return (f"across languages ({self.languages[0]} -> event in {self.languages[1]}): where {self.where}, "
                f"names {', '.join(self.names)}, {figures}{self.hours:.0f} h apart")


def dates_around(at: float) -> frozenset[str]:
    """The days of the month a report published at `at` (epoch seconds) names as dates: its own, and
    the day before and after (a night strike, a time zone)."""
    day = datetime.fromtimestamp(at, timezone.utc)
    return frozenset(str((day + timedelta(days=d)).day) for d in (-1, 0, 1))


def _year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2100


def names_in_common(names: tuple[tuple[str, str], ...], event: Side, telling: Callable[[str], bool]) -> list[str]:
    """The telling names of `names` (keys and written forms), as written, that the event's members
    name too, in any script (by their skeletons)."""
    theirs = list(event.skeletons)
    return list(dict.fromkeys(
        written for key, written in names
        if telling(key) and (mine := name_skeleton(written)) and any(same_person(mine, other) for other in theirs)))


def judge(article: Side, names: tuple[tuple[str, str], ...], event: Side, gap_hours: float,
          telling: Callable[[str], bool], dates: frozenset[str] = frozenset(),
          article_tolls: Callable[[], frozenset[str]] = no_tolls,
          event_tolls: Callable[[], frozenset[str]] = no_tolls) -> Across | None:
    """The rule, for an article (`names`: its identity's keys and written forms) against an event;
    `telling(key)`: the name is rare enough to tell events apart (Engine.telling_name); `dates`:
    numbers that are the article's date (dates_around), never a figure in common, nor is a year;
    `article_tolls()`, `event_tolls()`: the counts of people (`tolls`) the article and the event's
    members state, read only when every other part holds."""
    if not article.language or article.language in event.languages:
        return None
    here = main_where(article)
    if not article.texts or not event.texts or here is None or here != main_where(event):
        return None
    if abs(gap_hours) > SAME_STORY_HOURS:
        return None
    if article.days and event.days and not any(near(d, e) for d in article.days for e in event.days):
        return None
    named = " ".join(written for _, written in names)
    numbers = tuple(n for n in article.numbers if n in event.numbers and n not in dates and not _year(n)
                    and n not in named)
    shared = names_in_common(names, event, telling)
    if not shared:
        return None
    counted: tuple[str, ...] = ()
    if own := article_tolls():
        counted = tuple(sorted((own & event_tolls()) - set(numbers), key=float))
    if not numbers and not counted:
        return None
    return Across(article.place_names[here], tuple(shared[:4]), numbers[:3], abs(gap_hours),
                  (article.language, event.language), counted[:3])
