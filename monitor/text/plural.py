"""Counts in words: "1 article", "2 articles", "1 match", "0 matches" (one rule for every message)."""
from __future__ import annotations

_IRREGULAR = {"match": "matches", "duplicate": "duplicates", "entry": "entries", "is": "are", "was": "were"}


def counted(n: int, word: str, plural: str | None = None) -> str:
    """`n` and the word, singular for exactly one."""
    return f"{n:,} {word if n == 1 else plural or _IRREGULAR.get(word, word + 's')}"
