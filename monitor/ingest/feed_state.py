"""A feed's state after one poll, decided without I/O: the cycle fetches, this decides, the store
writes it (monitor.store.feeds.record_poll).

Success (200, or 304 not modified) resets the error count and schedules the feed's interval; a
failure counts one more error and backs off exponentially (with jitter), never polling before a
server's Retry-After (capped at a day). A permanent redirect to somewhere new is recorded, and the
feed is polled there from then on.
"""
from __future__ import annotations

import random
from datetime import datetime

from monitor.config import PollConfig
from monitor.ingest.backoff import after, failure_delay
from monitor.store.feeds import FeedContent, FeedState, PollRecord
from monitor.timeutil import to_iso
from monitor.vocab import PollOutcome

MAX_RETRY_AFTER = 24 * 3600  # a server may not switch a feed off for longer than a day


def newly_moved(feed: FeedState, target: str | None) -> str | None:
    """The permanent redirect's target when it takes the feed somewhere not recorded yet."""
    return None if not target or target in (feed.moved_to, feed.url) else target


def not_modified(feed: FeedState, poll: PollConfig, now: datetime, moved_to: str | None = None) -> PollRecord:
    return _success(feed, poll, now, "not_modified", 304, moved_to, None)


def parsed_outcome(problem: str | None) -> PollOutcome:
    """A feed whose body came and parsed: 'partial' when the parser met a problem (a truncated or
    malformed document: what could be read is kept), else 'ok'; fetched() records it, and
    `monitor feeds test` says the same (probe.py)."""
    return "partial" if problem else "ok"


def fetched(feed: FeedState, poll: PollConfig, now: datetime, content: FeedContent,
            moved_to: str | None = None, *, partial: bool | None = None) -> PollRecord:
    """The feed's body came and parsed: 'partial' when it parsed with problems (by default, when
    content.problem is set; a caller that records notes beside the problem says so itself)."""
    problem = content.problem if partial is None else ("problem" if partial else None)
    return _success(feed, poll, now, parsed_outcome(problem), 200, moved_to, content)


def _success(feed: FeedState, poll: PollConfig, now: datetime, outcome: PollOutcome, status: int,
             moved_to: str | None, content: FeedContent | None) -> PollRecord:
    return PollRecord(outcome, status, to_iso(now), after(now, feed.interval_s or poll.interval), error_count=0,
                      error=None, retry_after_until=None, succeeded_at=to_iso(now), moved_to=moved_to,
                      content=content)


def failed(feed: FeedState, poll: PollConfig, now: datetime, status: int | None, error: str,
           retry_after: float | None = None, outcome: PollOutcome = "failed",
           rng: random.Random | None = None) -> PollRecord:
    """One more failure: back off, and wait at least as long as the server asked."""
    errors = feed.error_count + 1
    delay = failure_delay(errors, poll, rng)
    retry_until = None
    if retry_after is not None:
        retry_after = min(retry_after, MAX_RETRY_AFTER)
        retry_until = after(now, retry_after)
        delay = max(delay, retry_after)
    return PollRecord(outcome, status, to_iso(now), after(now, delay), error_count=errors, error=error,
                      retry_after_until=retry_until)
