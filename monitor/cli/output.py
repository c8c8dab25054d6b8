"""Everything the CLI writes to stdout and stderr goes through monitor.safe_text's rule.

Commands format untrusted text (titles, URLs, feed names, server headers, errors) in many
places; guarding the streams themselves means none of them can forget: click's output,
log lines, usage errors and tracebacks alike show a control character as a visible symbol.
The dashboard draws its own screen and runs on the raw streams.

A reader that leaves early (`monitor feeds | head -1`) is not an error either: the guarded streams
write what is left to /dev/null, so the command ends as it would have, with its own exit code and
no traceback or "Exception ignored" line (click's own handling exited 1 without a word).
"""
from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, Callable, Iterator, TextIO, cast

from monitor.safe_text import SafeStream


def raw(stream: TextIO) -> TextIO:
    """The stream under a guard: for the program's own control output (a progress bar's \\r)."""
    return stream.raw if isinstance(stream, SafeStream) else stream  # (a QuietPipe: still quiet)


class QuietPipe:
    """A stream (or its binary buffer) that meets a closed pipe quietly: from the first
    BrokenPipeError on, its file descriptor points at /dev/null and writes succeed."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, data: Any) -> int:
        return self._quietly(self.stream.write, data, done=len(data))

    def flush(self) -> None:
        self._quietly(self.stream.flush, done=None)

    @property
    def buffer(self) -> QuietPipe:  # `feeds export-opml` writes bytes
        return QuietPipe(self.stream.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

    def _quietly(self, operation: Callable[..., Any], *args: Any, done: Any) -> Any:
        try:
            return operation(*args)
        except BrokenPipeError:
            _to_devnull(self.stream)
            return done


def _to_devnull(stream: Any) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a file (a test's StringIO): nothing to redirect
        pass


@contextlib.contextmanager
def guarded_output() -> Iterator[None]:
    """sys.stdout and sys.stderr guarded while inside (nesting is harmless); what is still
    buffered is written on the way out, so a closed pipe is met here, quietly, and not by the
    interpreter at exit."""
    saved = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(cast(TextIO, QuietPipe(sys.stdout)))
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(cast(TextIO, QuietPipe(sys.stderr)))
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        sys.stdout, sys.stderr = saved


def _unwrapped(stream: Any) -> Any:
    stream = raw(stream)
    return stream.stream if isinstance(stream, QuietPipe) else stream


@contextlib.contextmanager
def unguarded_output() -> Iterator[None]:
    """The raw streams while inside: the dashboard writes its own escape sequences."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _unwrapped(sys.stdout), _unwrapped(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
