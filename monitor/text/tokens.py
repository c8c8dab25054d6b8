"""Language-neutral terms for matching.

No stop list: an English stop list would leave German or Portuguese text untouched but
other lists would empty it; common words are discounted by document frequency instead
(the index's IDF). Words are cut to a fixed prefix, a crude stem that works the same in
every language written with spaces ("tapering"/"taper", "Kursker"/"Kursk").
"""
from __future__ import annotations

import re

from monitor.text.fold import fold
from monitor.text.normalize import strip_boilerplate

STEM_LENGTH = 7
_WORD = re.compile(r"\w+")
_CAPITALIZED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-ÞА-ЯΑ-Ω][\w]+")
_DIGITS = re.compile(r"^\d+$")


def term(word: str) -> str | None:
    """The matching term of one folded word, or None when it carries no meaning alone."""
    if len(word) < 2 or word.startswith("_"):
        return None
    if _DIGITS.match(word) and len(word) != 4:  # keep years, drop counts and page numbers
        return None
    return word[:STEM_LENGTH]


def terms(text: str | None) -> list[str]:
    """Terms of a text, in order (duplicates kept: callers count them)."""
    if not text:
        return []
    out = []
    for word in _WORD.findall(fold(text)):
        found = term(word)
        if found:
            out.append(found)
    return out


def entity_terms(text: str | None) -> set[str]:
    """Terms of capitalized words not opening a sentence: names of people, places, bodies."""
    if not text:
        return set()
    found = set()
    for match in _CAPITALIZED.finditer(text):
        for word in _WORD.findall(fold(match.group(0))):
            t = term(word)
            if t:
                found.add(t)
    return found


def lead(text: str, words: int = 60) -> str:
    """The first `words` words of the body, boilerplate removed: where a story says what happened."""
    return " ".join(strip_boilerplate(text).split()[:words])


def surface_forms(text: str | None) -> dict[str, str]:
    """term -> the first folded word of the text that gave it: "frankfu" -> "frankfurt", for reasons shown to people."""
    forms: dict[str, str] = {}
    for word in _WORD.findall(fold(text or "")):
        found = term(word)
        if found and found not in forms:
            forms[found] = word
    return forms


def readable(stems: list[str] | tuple[str, ...], text: str | None) -> list[str]:
    """The stems as the words the text uses (a stem the text lacks stays as it is)."""
    forms = surface_forms(text)
    return [forms.get(s, s) for s in stems]
