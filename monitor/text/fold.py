"""Fold text so that visually identical words compare equal.

Look-alike letters (Cyrillic "е" in "Patеl") are folded only inside words that also
hold Latin letters: a genuine Russian or Greek word is left alone, a Latin word with a
smuggled look-alike becomes its plain-Latin twin.
"""
from __future__ import annotations

import functools
import re
import unicodedata

# Cyrillic and Greek letters drawn like Latin ones (Unicode confusables, letter subset).
_LOOKALIKES = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", " һ": "h", "ɡ": "g", "ո": "n", "ս": "u",
    "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ї": "I", "Ј": "J",
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}
_LOOKALIKES = {k.strip(): v for k, v in _LOOKALIKES.items() if k.strip()}
_TABLE = str.maketrans(_LOOKALIKES)
_HAS_LOOKALIKE = re.compile("[" + "".join(sorted(_LOOKALIKES)) + "]")
_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[A-Za-z]")
# Zero-width and invisible format characters that split words without showing.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _fold_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if _LATIN.search(word) and _HAS_LOOKALIKE.search(word):
        return word.translate(_TABLE)
    return word


def fold_lookalikes(text: str) -> str:
    """Replace look-alike letters inside mixed-script words with their Latin twins."""
    if not _HAS_LOOKALIKE.search(text):
        return text
    return _WORD.sub(_fold_word, text)


def strip_invisible(text: str) -> str:
    """Drop zero-width and bidi control characters."""
    return _INVISIBLE.sub("", text)


def fold(text: str | None) -> str:
    """NFKC, invisible characters removed, case folded, look-alikes folded.

    Case folding comes before look-alike folding and is followed by NFKC again, because
    folding case can itself produce look-alikes (U+0345 becomes a Greek iota): fold(fold(x))
    must equal fold(x) for search and matching to agree.
    """
    if not text:
        return ""
    return _fold_recent(text)


@functools.lru_cache(maxsize=16)
def _fold_recent(text: str) -> str:
    """fold() of the last few texts: storing an article folds its title and text for the content hash,
    then its search entry folds them again (the insert trigger's monitor_stem), a few articles apart
    in an extraction worker's batch. A hit costs the text's hash and one comparison; a fold of a
    page's text ~60 µs."""
    text = strip_invisible(unicodedata.normalize("NFKC", text))
    text = unicodedata.normalize("NFKC", text.casefold())
    return fold_lookalikes(text)
