"""Everything the CLI writes to stdout and stderr goes through monitor.safe_text's rule.

Commands format untrusted text (titles, URLs, feed names, server headers, errors) in many
places; guarding the streams themselves means none of them can forget: click's output,
log lines, usage errors and tracebacks alike show a control character as a visible symbol.
The dashboard draws its own screen and runs on the raw streams.
"""
from __future__ import annotations

import contextlib
import sys
from typing import Iterator, TextIO

from monitor.safe_text import SafeStream


def raw(stream: TextIO) -> TextIO:
    """The stream under a guard: for the program's own control output (a progress bar's \\r)."""
    return stream.raw if isinstance(stream, SafeStream) else stream


@contextlib.contextmanager
def guarded_output() -> Iterator[None]:
    """sys.stdout and sys.stderr guarded while inside (nesting is harmless)."""
    saved = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout)
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def unguarded_output() -> Iterator[None]:
    """The raw streams while inside: the dashboard writes its own escape sequences."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = raw(sys.stdout), raw(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
