"""Latin spellings of Ukrainian and Russian names, as the English press writes them: places
(cluster/gazetteer.py) and people (text/name_skeleton.py).

GeoNames lists a town's names in Cyrillic but not always the romanization the press uses:
Авдіївка is there, "Avdiivka" (Ukraine's official romanization since 2010, the KMU table, which
the press has followed since 2022) is not; Запорожье is there, "Zaporozhye" (BGN/PCGN, how the
English press wrote Russian names before) is not. Both are rules, written out below.

A name is read as Ukrainian when it has no letter only Russian has (ы э ъ ё), and as Russian when
it has none only Ukrainian has (і ї є ґ, the apostrophe): Одеса reads as both.
"""
from __future__ import annotations

from typing import Iterable

_COMMON = {"а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "ж": "zh", "з": "z", "к": "k", "л": "l", "м": "m",
           "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
           "ч": "ch", "ш": "sh", "щ": "shch", "ь": ""}
# KMU 2010 (Resolution 55): the second spelling is the one opening a word.
_UKRAINIAN = {**{k: (v, v) for k, v in _COMMON.items()}, "г": ("h", "h"), "ґ": ("g", "g"), "и": ("y", "y"),
              "і": ("i", "i"), "ї": ("i", "yi"), "й": ("i", "y"), "є": ("ie", "ye"), "ю": ("iu", "yu"),
              "я": ("ia", "ya")}
# BGN/PCGN as the press writes it, without its apostrophes and diacritics: е is "ye" at the start,
# after a vowel and after ь/ъ (Запорожье -> Zaporozhye, Авдеевка -> Avdeyevka).
_RUSSIAN = {**{k: (v, v) for k, v in _COMMON.items()}, "г": ("g", "g"), "и": ("i", "i"), "й": ("y", "y"),
            "ы": ("y", "y"), "э": ("e", "e"), "ъ": ("", ""), "ё": ("yo", "yo"), "ю": ("yu", "yu"),
            "я": ("ya", "ya"), "е": ("e", "ye")}
_RUSSIAN_ONLY = set("ыэъё")
_UKRAINIAN_ONLY = set("іїєґ'’")
_AFTER_VOWEL_OR_SIGN = set("аеёиоуыэюяьъ")


def _romanize(name: str, table: dict[str, tuple[str, str]], soft_e: bool) -> str | None:
    out: list[str] = []
    previous = ""
    for char in name:
        lower = char.lower()
        if lower in "'’":
            continue  # the apostrophe is not written, and the word goes on: Слов'янськ -> Sloviansk
        if lower not in table:
            if lower.isalpha():
                return None  # a letter of another Cyrillic alphabet (Serbian, Kazakh...): not this table
            out.append(char)
            previous = ""
            continue
        opening = not previous.isalpha() or (soft_e and lower == "е" and previous in _AFTER_VOWEL_OR_SIGN)
        latin = table[lower][1 if opening else 0]
        if lower == "г" and previous == "з" and table is _UKRAINIAN:
            latin = "gh"  # зг -> zgh, so that it is not read as zh
        out.append(latin.capitalize() if char.isupper() else latin)
        previous = lower
    return "".join(out)


def ukrainian(name: str) -> str | None:
    """KMU 2010 romanization of a Ukrainian name ("Авдіївка" -> "Avdiivka"); None if not Ukrainian."""
    if _RUSSIAN_ONLY & set(name.lower()):
        return None
    return _romanize(name, _UKRAINIAN, soft_e=False)


def russian(name: str) -> str | None:
    """The press's BGN/PCGN romanization of a Russian name ("Запорожье" -> "Zaporozhye")."""
    if _UKRAINIAN_ONLY & set(name.lower()):
        return None
    return _romanize(name, _RUSSIAN, soft_e=True)


def is_ukrainian_only(name: str) -> bool:
    """Written with a letter only Ukrainian has: the Ukrainian name, not the Russian one."""
    return bool(_UKRAINIAN_ONLY & set(name.lower()))


# Which system romanizes which country's Cyrillic names: Ukraine's own since 2010 and the one the
# press used before; Russia's as the press writes them.
_SYSTEMS = {"UA": (ukrainian, russian), "RU": (russian,)}
CLOSE_TO_OWN = 80  # rapidfuzz ratio: a new spelling of GeoNames' name, not a former name (Artemivsk)


def press_spellings(country: str, names: Iterable[str]) -> set[str]:
    """Latin spellings of a place's Cyrillic names by its country's systems (none for others)."""
    systems = _SYSTEMS.get(country, ())
    return {latin for name in names for system in systems if (latin := system(name))}


def official_name(country: str, own: str, names: Iterable[str]) -> str:
    """A place in Ukraine under the official romanization of its Ukrainian name (Mykolayiv ->
    Mykolaiv, Avdiyivka -> Avdiivka), when GeoNames lists that name in letters only Ukrainian has
    and it spells GeoNames' own; else GeoNames' own name."""
    if country != "UA":
        return own
    from rapidfuzz import fuzz

    scored = [(fuzz.ratio(latin.lower(), own.lower()), latin) for name in names
              if is_ukrainian_only(name) and (latin := ukrainian(name))]
    best = max(scored, default=(0.0, own))
    return best[1] if best[0] >= CLOSE_TO_OWN else own
