"""Ukrainian and Russian place names under their case endings: one form for every case.

The two languages decline place names ("у Києві", "в Киеве", "по Одесі", "в Сумах"), and GeoNames
lists only the nominative (Київ, Киев, Одеса, Суми). So a Cyrillic name and a Cyrillic word of the
text are both reduced to one form before they meet:
- a case ending is dropped (the endings the two grammars give singular and plural nouns, and the
  adjective's "Курской" on a longer stem): from a name the longest that fits; from a word of the
  text each that fits, shortest first, until one meets a name ("Харкові" is Харков-і, not Харк-ові);
- the consonant Ukrainian softens before that -і is also tried restored (Авдіївка, в Авдіївці);
- the vowel of a final closed syllable is left open, because Ukrainian writes і/ї there where the
  other cases write о/е/є (Київ, Києва, Києві; Харків, Харкова; Миколаїв, Миколаєві).

A place's adjective ("Харківської області", "над Белгородской областью", "Сумської") names its
city, as "the Kharkiv region" does in English: `adjective_forms` drops the adjective's suffix
(-ськ-, -ск-) and its ending, and the gazetteer takes what that meets only when it is a city and
the next word is a region's or a district's ("Сирський", a surname, names no town).

A reviewed rule, not a stemmer: Snowball has no Ukrainian stemmer, and its Russian one cuts names
to different stems by case ("харькову" -> "харьков", "харьков" -> "харьк"), which search can live
with (it stems twice) but a lookup table cannot.
"""
from __future__ import annotations

import re

# Longest first, so "-ами" goes before "-и" and "-ові" before "-і".
_NOUN_ENDINGS = ("ами", "ями", "ові", "еві", "єві", "ою", "ею", "єю", "ом", "ем", "єм", "ах", "ях", "ам", "ям",
                 "а", "я", "у", "ю", "і", "ї", "и", "ы", "е", "є", "о", "ь")
_ADJECTIVE_ENDINGS = ("ого", "ому", "ой", "ей", "ий", "ій", "ої")  # "Курской", "Кропивницькому"
_ENDINGS = tuple(sorted(_NOUN_ENDINGS + _ADJECTIVE_ENDINGS, key=len, reverse=True))
_VOWELS = "аеєиіїоуюяыэё"
# The vowel of a closed final syllable (one consonant after it): Київ/Києв-, Харків/Харков-.
_CLOSED_VOWEL = re.compile(f"[іїоеє](?=[^{_VOWELS}'’ь]$)")
MIN_STEM = 3  # "Сум-" (Суми, Сумах) is the shortest stem of a city the war desk reads
MIN_ADJECTIVE_STEM = 5  # "Курськ-ой", not "Біл-ий" (Білий дім: the White House)
OPEN_FROM = 4  # a shorter stem keeps its vowel and consonants: "б*л" would be Біла, Бела, Біл-ий


# Ukrainian's second palatalization: к, г, х become ц, з, с before the -і of the dative and
# locative (Авдіївка, в Авдіївці). A stem ending in ц/з/с may also be its own (Одеса, в Одесі):
# both are tried, the written one first.
_SOFTENED = {"ц": "к", "з": "г", "с": "х"}


def _open(stem: str) -> str:
    return _CLOSED_VOWEL.sub("*", stem) if len(stem) >= OPEN_FROM else stem


def _strips(key: str, ending: str) -> bool:
    least = MIN_ADJECTIVE_STEM if ending in _ADJECTIVE_ENDINGS else MIN_STEM
    return key.endswith(ending) and len(key) - len(ending) >= least


def name_form(key: str) -> str:
    """The form a folded Cyrillic name is filed under: "київ", "киев" -> "ки*в"; "суми" -> "сум"."""
    for ending in _ENDINGS:
        if _strips(key, ending):
            return _open(key[: -len(ending)])
    return _open(key)


def word_forms(key: str) -> list[str]:
    """The forms a folded Cyrillic word of the text may be filed under, the likeliest first:
    "києві" -> "ки*в", "харкові" -> "харк*в" (before "харк"), "авдіївці" -> "авдіївц", "авдіївк"."""
    stems = [key] + [key[: -len(e)] for e in reversed(_ENDINGS) if _strips(key, e)]
    forms: list[str] = []
    for stem in stems:
        candidates = [stem]
        if stem != key and stem[-1] in _SOFTENED and len(stem) >= OPEN_FROM:  # "нац-ий" is not "нак-а"
            candidates.append(stem[:-1] + _SOFTENED[stem[-1]])
        forms.extend(form for form in map(_open, candidates) if form not in forms)
    return forms


# A place's adjective: the suffix (Ukrainian -ськ-/-цьк-/-зьк-, Russian -ск-) and the adjective's
# ending in either language and any case.
_PLACE_ADJECTIVE = re.compile(r"(с?ьк|цьк|зьк|ск)(?:ая|ой|ую|ий|ого|ому|им|ом|ие|их|ими|ое|ої|ій|ою|ого|а|у|і|е)$")


def adjective_forms(key: str) -> list[str]:
    """The forms of the place a folded Cyrillic adjective is made from, the likeliest first:
    "харківської" -> "харк*в" (Харків), "харьковской" -> "харьк*в", "одеської" -> "одес" (Одеса),
    "сумської" -> "сум" (Суми); [] for a word that is no such adjective."""
    match = _PLACE_ADJECTIVE.search(key)
    if match is None:
        return []
    stem = key[: match.start()]
    bases = [stem + "с", stem] if match.group(1) == "ськ" else [stem]  # Одес-ька, but Харків-ська
    return [_open(base) for base in bases if len(base) >= MIN_STEM]
