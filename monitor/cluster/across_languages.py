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
  a year) nor part of a name ("Covid-19");
- they name a person in common, by a telling name.
A name alone is not enough: the governor of a city is named in every report from it. Nor is a
city and a day: two strikes on Kharkiv in one day differ by their figures.

Names match across scripts by their skeletons (name_skeleton.py). No labelled set here holds one
event in two languages, so nothing is fitted. The rule is hand-set and narrow on purpose, and its
reason names every part.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from monitor.text.name_skeleton import name_skeleton, same_person
from monitor.cluster.similarity import Side, main_where
from monitor.cluster.weekdays import near

SAME_STORY_HOURS = 12.0  # reports of one strike follow it within hours; the evening's strike is another


@dataclass(frozen=True)
class Across:
    """Why an article joins an event in another language: every part of the rule, as found."""

    where: str
    names: tuple[str, ...]  # the article's names, as it writes them, that the event's members name too
    numbers: tuple[str, ...]
    hours: float
    languages: tuple[str, str]  # (the article's, the event's leading one)

    def reason(self) -> str:
        return (f"across languages ({self.languages[0]} -> event in {self.languages[1]}): where {self.where}, "
                f"names {', '.join(self.names)}, numbers {', '.join(self.numbers)}, {self.hours:.0f} h apart")


def dates_around(at: float) -> frozenset[str]:
    """The days of the month a report published at `at` (epoch seconds) names as dates: its own, and
    the day before and after (a night strike, a time zone)."""
    day = datetime.fromtimestamp(at, timezone.utc)
    return frozenset(str((day + timedelta(days=d)).day) for d in (-1, 0, 1))


def _year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2100


def judge(article: Side, names: tuple[tuple[str, str], ...], event: Side, gap_hours: float,
          telling: Callable[[str], bool], dates: frozenset[str] = frozenset()) -> Across | None:
    """The rule, for an article (`names`: its identity's keys and written forms) against an event;
    `telling(key)`: the name is rare enough to tell events apart (Engine.telling_name); `dates`:
    numbers that are the article's date (dates_around), never a figure in common, nor is a year."""
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
    if not numbers:
        return None
    theirs = list(event.skeletons)
    shared = list(dict.fromkeys(
        written for key, written in names
        if telling(key) and (mine := name_skeleton(written)) and any(same_person(mine, other) for other in theirs)))
    if not shared:
        return None
    return Across(article.place_names[here], tuple(shared[:4]), numbers[:3], abs(gap_hours),
                  (article.language, event.language))
