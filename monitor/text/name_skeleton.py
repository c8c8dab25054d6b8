"""Names matched across scripts: Syniehubov, Sinegubov and Синєгубова are one person.

The identity's name keys are stems in the name's own script (identity.py), so a name written in
Cyrillic and in Latin letters never shares a key. A skeleton is the name's consonants in its Latin
spelling: the romanization systems (romanize.py) and the Slavic case endings differ in the vowels.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from monitor.text.romanize import is_ukrainian_only, russian, ukrainian

MIN_CONSONANTS = 3  # a shorter skeleton ("Kyiv" -> kv) matches too many names
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=100_000)  # names recur from article to article
def name_skeleton(written: str) -> str:
    """A name's consonants in its Latin spelling, sounds the systems spell apart folded together.

    Syniehubov (Ukraine's KMU romanization), Sinegubov (BGN/PCGN, from Russian) and Синєгубова both
    give "sngbv". It folds г/h/g (Ukrainian г is h, Russian г is g) and keeps kh (х) apart. The
    vowels, which the systems and the Slavic case endings spell apart, are dropped. Latin names
    are read as they are written: Zelensky and Зеленського give "zlnsk" and "zlnskg", and
    `same_person` compares them by prefix. Returns "" for a name that has no Latin reading
    (another Cyrillic alphabet)."""
    plain = _plain_latin(written)
    plain = plain.replace("kh", "x").replace("h", "g").replace("w", "v").replace("ck", "k")
    return "".join(c for c in plain if c not in _VOWELS)


def same_person(mine: str, theirs: str) -> bool:
    """Two skeletons of one name. One must be the other's start (a Slavic case ending adds
    consonants: Терехов -> Тереховим), and the shorter must hold MIN_CONSONANTS."""
    shorter, longer = sorted((mine, theirs), key=len)
    return len(shorter) >= MIN_CONSONANTS and longer.startswith(shorter)


def skeletons(names: tuple[tuple[str, str], ...]) -> list[str]:
    """The skeletons of an identity's names (key, written form), in order, each once."""
    return list(dict.fromkeys(s for _, written in names if (s := name_skeleton(written))))


def person_key(written: str) -> str:
    """One key for one person however the reports write them (the event brief's "who"): the
    skeleton, or for a name too short to have one that tells (MIN_CONSONANTS), the name itself."""
    skeleton = name_skeleton(written)
    return skeleton if len(skeleton) >= MIN_CONSONANTS else f"={written.casefold()}"


def names_person(written: str, skeleton: str) -> bool:
    """Whether a name as an article writes it names the person of this skeleton (`same_person`):
    the search's who: across alphabets (registered in SQLite as monitor_names_person)."""
    return same_person(name_skeleton(written), skeleton)


def latin_initial(written: str) -> str:
    """The first letter of a name's Latin spelling, lower case ("" for none): "Синєгубов" -> "s"."""
    return _plain_latin(written)[:1]


def _plain_latin(written: str) -> str:
    """A name in lower-case Latin letters a-z: Cyrillic romanized (Ukrainian when it has a letter only
    Ukrainian has, else the press's Russian system), accents dropped; "" for another Cyrillic alphabet."""
    if _CYRILLIC.search(written):
        latin = ukrainian(written) if is_ukrainian_only(written) else (russian(written) or ukrainian(written))
        if latin is None:
            return ""
    else:
        latin = written
    return "".join(c for c in unicodedata.normalize("NFKD", latin.lower()) if "a" <= c <= "z")


@lru_cache(maxsize=64)
def initials_spelling(initial: str) -> tuple[str, ...]:
    """The capitals a name whose Latin spelling starts with `initial` may start with, in Latin and
    Cyrillic letters (Ukraine's and the press's Russian romanization: "s" -> S, С, Ш, Щ; "h" -> H, Г, Х):
    a cheap test before a name's skeleton is computed (the search's who: across alphabets)."""
    capitals = "АБВГҐДЕЄЁЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЫЭЮЯ"
    found = {initial.upper()}
    for capital in capitals:
        spellings = {ukrainian(capital), russian(capital)}
        if any(s and s[:1].lower() == initial for s in spellings):
            found.add(capital)
    return tuple(sorted(found))
