"""Hosts a poll could not reach: their remaining pages wait for a later poll.

A page's host that does not resolve, refuses connections or never answers the connect fails every
page the same way; with hundreds of items (a podcast feed of 730) and `per_host` requests at a
time, one dead host held a first poll for minutes (a connect timeout each), and the analyst saw no
events until it ended. After DOWN_AFTER such failures in a row (no page of the host arriving in
between), the poll stores that host's further articles with their feed's text at once, and says why;
they are retried at later polls like any failed page (MAX_EXTRACTION_ATTEMPTS), nothing is lost.
"""
from __future__ import annotations

from dataclasses import dataclass

from monitor.errors import MonitorError
from monitor.ingest.urls import host_of

DOWN_AFTER = 3  # unreachable answers in a row before the poll stops asking the host


class HostDown(MonitorError):
    """A page not fetched: this poll found its host down. The message is the article's extraction
    error; `why` is the part the poll's summary repeats once per feed."""

    def __init__(self, host: str, in_a_row: int, last_error: str) -> None:
        self.why = f"{host} could not be reached {in_a_row} times in a row in this poll ({last_error})"
        super().__init__(f"page: not fetched: {self.why}; tried again at a later poll")


@dataclass
class _Host:
    in_a_row: int = 0
    last_error: str = ""


class UnreachableHosts:
    """One poll's count of page hosts that could not be reached (fetch.FetchResult.unreachable)."""

    def __init__(self) -> None:
        self._hosts: dict[str, _Host] = {}

    def record(self, url: str, unreachable: bool, error: str | None) -> None:
        """A page's HTTP exchange is over: a host that answered starts again from zero."""
        host = host_of(url)
        if host is None:
            return
        if not unreachable:
            self._hosts.pop(host, None)
            return
        state = self._hosts.setdefault(host, _Host())
        state.in_a_row += 1
        state.last_error = (error or "").removeprefix("page: ")

    def down(self, url: str) -> HostDown | None:
        """Why this page is not fetched in this poll (its host is down), or None to fetch it."""
        host = host_of(url)
        state = self._hosts.get(host) if host is not None else None
        if host is None or state is None or state.in_a_row < DOWN_AFTER:
            return None
        return HostDown(host, state.in_a_row, state.last_error)
