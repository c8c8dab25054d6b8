"""Normalized text for matching: folded, punctuation-free, boilerplate lines dropped.

Duplicate detection compares these strings with rapidfuzz, and the tokenizer splits them
into terms, so "Patеl" (Cyrillic е) and "Patel" meet in both places. Search folds with
the same `fold()`, so what matches here is also what the analyst finds.
"""
from __future__ import annotations

import re

from monitor.text.fold import fold

_PUNCT = re.compile(r"[^\w\s]+|_+")
_SPACE = re.compile(r"\s+")

# Lines that belong to the page, not the story (matched on the folded, stripped line).
_BOILERPLATE = re.compile(
    r"^(advertisement|advert|sponsored( content)?|top of page|bottom of page|skip to (main )?content"
    r"|share( this( article| story)?)?( on \w+)?|(read|see) (more|also)\b.*|related( articles| stories| posts)?"
    r"|recent (articles|posts)|leave a (reply|comment)|sign up\b.*|subscribe\b.*|follow us\b.*"
    r"|click here\b.*|all rights reserved\.?|©.*|copyright\b.*|(photo|image)( credit)?:.*"
    r"|cookies?\b.*(accept|settings|policy).*|newsletter\b.*|comments?( \(\d+\))?)$"
)


def strip_boilerplate(text: str) -> str:
    """Drop chrome lines (ads, share prompts, sign-ups, copyright) that every page of a site repeats."""
    if not text:
        return ""
    kept = [line for line in text.splitlines() if not _BOILERPLATE.match(fold(line).strip(" \t*#>-|•"))]
    return "\n".join(kept)


def normalize(text: str | None) -> str:
    """Fold (NFKC, invisible characters, look-alikes, case), drop punctuation, collapse spaces."""
    if not text:
        return ""
    return _SPACE.sub(" ", _PUNCT.sub(" ", fold(text))).strip()


def match_text(title: str, text: str, *, limit: int = 4000) -> str:
    """The normalized title and body that duplicate detection compares (boilerplate removed)."""
    return normalize(f"{title}\n{strip_boilerplate(text)}")[:limit]
