"""The languages of the desk's press and their calendar words, from CLDR through Babel.

One list for three readers: the gazetteer (month and weekday names are dates, not towns: "In March
2024" is not March, England), the names (a weekday is never a person) and the weekdays an article
names as the day something happened.
"""
from __future__ import annotations

from functools import lru_cache

# The languages whose press the desk reads, and which capitalize month or weekday names or meet them
# in a Title Case line.
PRESS_LOCALES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "tr", "uk", "ru")
_CONTEXTS = ("format", "stand-alone")


@lru_cache(maxsize=1)
def weekday_names() -> tuple[tuple[str, int], ...]:
    """(written wide name, 0 for Monday .. 6) in every press language, both grammatical contexts."""
    from babel import Locale

    return tuple((name, int(day)) for code in PRESS_LOCALES for context in _CONTEXTS
                 for day, name in Locale.parse(code).days[context]["wide"].items())


@lru_cache(maxsize=1)
def month_names() -> tuple[str, ...]:
    """Written wide month names in every press language, both grammatical contexts."""
    from babel import Locale

    return tuple(name for code in PRESS_LOCALES for context in _CONTEXTS
                 for name in Locale.parse(code).months[context]["wide"].values())
