"""Untrusted text as inert rich `Text`: never parsed as markup, no escape sequence reaches the terminal.

monitor.safe_text.shown: control characters made visible, and the invisible format characters
(zero-width spaces and joiners, bidi marks) shown as their code points, so a hostile title
cannot hide words or reorder what the analyst reads.
"""
from __future__ import annotations

from rich.text import Text

from monitor.safe_text import shown


def clean(text: str | None, *, single_line: bool = True, limit: int | None = None) -> str:
    """Plain, printable text: controls and invisible characters made visible (monitor.safe_text's rule)."""
    return shown(text, single_line=single_line, limit=limit)


def safe(text: str | None, style: str = "", *, single_line: bool = True, limit: int | None = None) -> Text:
    """A `Text` holding exactly the characters of `text` (made visible), with no markup applied."""
    return Text(clean(text, single_line=single_line, limit=limit), style=style, no_wrap=single_line,
                end="")
