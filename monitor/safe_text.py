"""Untrusted text (titles, bodies, feed names, URLs, server headers, errors) made safe to print.

The one rule for every terminal and file the program writes: control characters (C0 but
newline and tab, DEL, C1, so ESC and every escape sequence) never reach it raw. Printed text
shows them as visible symbols; stored text drops them (strip_controls); JSON keeps them
exact as \\u escapes (json_escaped). Bidi overrides that could reorder what follows are shown
as their code points; the dashboard also shows invisible format characters (shown()).
"""
from __future__ import annotations

import re
from typing import Any, TextIO

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but \t and \n, DEL, C1
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # json.dumps escapes C0 itself
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␀ for NUL ...
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


def _code_point(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group(0)):04X}>"


def printable(text: str | None, *, single_line: bool = False) -> str:
    """Text with every control character made visible and inert."""
    if not text:
        return ""
    if single_line:
        text = " ".join(text.split())
    text = CONTROL.sub(_visible, text)
    return _BIDI.sub(_code_point, text)


def shown(text: str | None, *, single_line: bool = True, limit: int | None = None) -> str:
    """printable(), and invisible format characters (zero-width spaces, joiners, bidi marks) shown
    as their code points, so a hostile title cannot hide words from the analyst; cut to `limit`."""
    if not text:
        return ""
    if limit is not None and len(text) > limit * 2:
        text = text[: limit * 2]  # cheap pre-cut: never lay out 10,000 characters for one list row
    value = _INVISIBLE.sub(_code_point, printable(text, single_line=single_line))
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    return value


def strip_controls(text: str) -> str:
    """Text to store: control characters (but tab and newline) dropped."""
    return CONTROL.sub("", text)


def has_controls(text: str) -> bool:
    return CONTROL.search(text) is not None


def json_escaped(document: str) -> str:
    """A JSON document (json.dumps with ensure_ascii=False) with DEL, C1 and bidi overrides written
    as \\u escapes: the data stays exact, the bytes carry no control. Such characters can only
    occur inside JSON strings, where the escape means the same character."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", document)


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class SafeStream:
    """A text stream that writes everything through printable(): what the CLI prints, whoever
    wrote it (click, logging, a traceback), reaches the terminal without a control sequence."""

    def __init__(self, stream: TextIO) -> None:
        self.raw = stream  # for the program's own control output (a progress bar's \r)

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # a text stream (click probes for binary writers with b"")
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.raw.write(printable(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


def markdown_inert(text: str | None) -> str:
    """Untrusted text made inert in Markdown: printable, one line, every character Markdown (or the
    HTML it passes through) reads as markup escaped: a headline "<script>" or "[x](http://evil)"
    stays text in the briefing and the export."""
    value = printable(text, single_line=True)
    for char in "\\`*_[]<>#|":
        value = value.replace(char, "\\" + char)
    return value
