"""What the user may have meant by a name no feed, rule or option has: one rule for every message."""
from __future__ import annotations

import difflib


def did_you_mean(value: str, choices: list[str]) -> str:
    """" (did you mean 'War EN'?)" for the closest choice, ignoring case; "" when none is close."""
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1)
    return f" (did you mean {lowered[close[0]]!r}?)" if close else ""
