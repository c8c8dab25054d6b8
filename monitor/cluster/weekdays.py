"""The weekdays an article's title and lead name: the day it says something happened.

Two reports of one kind of event that name only different days ("on Thursday" against "on
Saturday") are, more often than not, two events: of ECB+'s article pairs that both name a
weekday in title and lead, 77% of its confusable twins share none against 24% of its same-event
pairs; named days two or more apart (not the day before or after, as a story told over days
names them), 50% of twins against 10% of same-event pairs. The names come from CLDR through
Babel in the press's languages (`press_calendar`, which identity.py also reads to tell weekdays
from names), without the few that are also everyday words.
"""
from __future__ import annotations

import re
from functools import lru_cache

from monitor.cluster.press_calendar import weekday_names
from monitor.text.fold import fold

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Weekday names that are also everyday words: Russian "среда" (environment), Turkish "pazar" (market).
_ALSO_WORDS = frozenset({"среда", "pazar"})
_WORD = re.compile(r"[^\W\d_]{4,}")  # the shortest weekday names here have 4 letters (Turkish salı, cuma)


@lru_cache(maxsize=1)
def _days() -> dict[str, int]:
    """Folded weekday name (any of the languages, format and stand-alone forms) -> 0 (Monday) .. 6."""
    out: dict[str, int] = {}
    for name, day in weekday_names():
        folded = fold(name)
        if folded not in _ALSO_WORDS and " " not in folded:
            out[folded] = day
    return out


def days_named(text: str) -> tuple[int, ...]:
    """The weekdays the text names, in the order first named (0 is Monday)."""
    found: dict[int, None] = {}
    for word in _WORD.findall(text):
        day = _day_of(word)
        if day is not None:
            found.setdefault(day, None)
    return tuple(found)


@lru_cache(maxsize=100_000)  # words recur from article to article: fold and look up each once
def _day_of(word: str) -> int | None:
    return _days().get(fold(word))


def near(day: int, other: int) -> bool:
    """The same weekday or the one before or after it (Sunday is next to Monday)."""
    return min((day - other) % 7, (other - day) % 7) <= 1
