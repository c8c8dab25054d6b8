"""One wall-clock deadline per request, and one for the whole poll.

Per-read timeouts do not bound a request: a server trickling its headers one byte a second,
or sending `100 Continue` for ever, never lets a read wait long. The request's deadline lives
in a context variable that the network layer (monitor.ingest.transport) reads on every
connect, read, write and TLS handshake: each waits at most until the deadline, and none
starts after it, whatever phase the exchange is in (connect, headers, interim responses,
body, redirects).
"""
from __future__ import annotations

import asyncio
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Awaitable, Iterator, TypeVar

from monitor.errors import MonitorError

T = TypeVar("T")

_deadline: ContextVar[float | None] = ContextVar("monitor_request_deadline", default=None)


class DeadlinePassed(MonitorError):
    """The request's deadline passed (raised by the network layer as a timeout)."""


@contextmanager
def request_deadline(seconds: float) -> Iterator[None]:
    """Everything the network layer does inside this block ends `seconds` from now."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def passed() -> bool:
    deadline = _deadline.get()
    return deadline is not None and time.monotonic() >= deadline


def clamp(timeout: float | None) -> float | None:
    """`timeout` shortened to what is left of the request's deadline; DeadlinePassed when nothing is."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlinePassed()
    return left if timeout is None else min(timeout, left)


@dataclass(frozen=True)
class PollDeadline:
    """When a poll stops starting work (`[poll] poll_deadline` seconds after it began)."""

    at: float  # time.monotonic()
    seconds: float

    @classmethod
    def starting_now(cls, seconds: float) -> PollDeadline:
        return cls(time.monotonic() + seconds, seconds)

    def left(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    async def within(self, work: Awaitable[T]) -> T:
        """`work`'s result; asyncio.TimeoutError (and `work` cancelled, or never started) once the
        deadline passes."""
        return await asyncio.wait_for(work, self.left())
