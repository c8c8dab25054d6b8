"""Untrusted text (titles, bodies, feed names) made safe to print on a terminal.

Control characters (C0 but newline and tab, DEL, C1, so ESC and every escape sequence)
are shown as visible symbols instead of reaching the terminal; bidi overrides that
could reorder what follows are shown as their code points.
"""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␀ for NUL ...
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


def printable(text: str | None, *, single_line: bool = False) -> str:
    """Text with every control character made visible and inert."""
    if not text:
        return ""
    if single_line:
        text = " ".join(text.split())
    text = _CONTROL.sub(_visible, text)
    return _BIDI.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
