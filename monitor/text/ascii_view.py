"""A sentence seen as plain ASCII, for the cheap first tests of figure extraction (monitor.text.figures,
numbers, claimants).

Python's regex engine tries a case-insensitive alternation of words at every character of a sentence
(10-40 µs each); `in` on the lower-case text and `bytes.translate` cost a fraction of that. In ASCII,
IGNORECASE means lower()'s equality (the engine's other equivalences, ı and İ with i, ſ with s, the
Kelvin sign with k, involve letters outside ASCII), so a word can only match where the ASCII lower
case holds it. News text is ASCII but for its typographic marks (’ “ ” — …): they are neither letters
nor parts of a word, so they become spaces first; a sentence with any other non-ASCII character has
no ASCII view and takes the regexes as before.
"""
from __future__ import annotations

TYPOGRAPHIC_MARKS = "’“”‘—–«»\xa0…"
_LETTERS = bytes(c if chr(c).isalpha() else 0x20 for c in range(128)) + b" " * 128


def ascii_view(text: str) -> str | None:
    """The text with its typographic marks turned into spaces, when that is ASCII; else None."""
    if not text.isascii():
        for mark in TYPOGRAPHIC_MARKS:
            if mark in text:
                text = text.replace(mark, " ")
        if not text.isascii():
            return None
    return text


def ascii_letter_runs(view: str) -> list[str]:
    """The runs of ASCII letters of an ASCII text (what `[^\\W\\d_]+` finds in it)."""
    return view.encode("ascii").translate(_LETTERS).decode("ascii").split()


def may_hold(view: str | None, words: tuple[str, ...]) -> bool:
    """False only when a case-insensitive pattern over `words` (ASCII ones) cannot match the text whose
    ASCII view (ascii_view) this is: its lower case holds none of them. True otherwise, no view
    included (the pattern decides)."""
    if view is None:
        return True
    low = view.lower()
    return any(word in low for word in words)
