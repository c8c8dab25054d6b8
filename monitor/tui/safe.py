"""Untrusted text as inert rich `Text`: never parsed as markup, no escape sequence reaches the terminal.

Builds on monitor.safe_text.printable (control characters made visible) and also shows the
invisible format characters (zero-width spaces and joiners, bidi marks) as their code points,
so a hostile title cannot hide words or reorder what the analyst reads.
"""
from __future__ import annotations

import re

from rich.text import Text

from monitor.safe_text import printable

_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff]")


def clean(text: str | None, *, single_line: bool = True, limit: int | None = None) -> str:
    """Plain, printable text: controls and invisible characters made visible."""
    if not text:
        return ""
    if limit is not None and len(text) > limit * 2:
        text = text[: limit * 2]  # cheap pre-cut: never lay out 10,000 characters for one list row
    value = printable(text, single_line=single_line)
    value = _INVISIBLE.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", value)
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    return value


def safe(text: str | None, style: str = "", *, single_line: bool = True, limit: int | None = None) -> Text:
    """A `Text` holding exactly the characters of `text` (made visible), with no markup applied."""
    return Text(clean(text, single_line=single_line, limit=limit), style=style, no_wrap=single_line,
                end="")
