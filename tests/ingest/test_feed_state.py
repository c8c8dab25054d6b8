"""The feed-state decision after a poll, without network or database."""
from __future__ import annotations

import random
from datetime import datetime, timezone

from monitor.config import PollConfig
from monitor.ingest import feed_state
from monitor.store.feeds import FeedContent, FeedState

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
POLL = PollConfig(interval=900, backoff_base=60, backoff_max=3600)


def feed(**changes) -> FeedState:
    values = dict(id=1, name="wire", url="https://a.example/feed.xml", tags=(), interval_s=None, etag='"x"',
                  last_modified=None, error_count=0, moved_to=None)
    values.update(changes)
    return FeedState(**values)  # type: ignore[arg-type]


def test_not_modified_resets_errors_and_keeps_the_content_columns():
    record = feed_state.not_modified(feed(error_count=4), POLL, NOW)
    assert (record.outcome, record.status, record.error_count, record.error) == ("not_modified", 304, 0, None)
    assert record.next_poll_at == "2026-03-01T12:15:00Z" and record.succeeded_at == "2026-03-01T12:00:00Z"
    assert record.content is None and record.retry_after_until is None


def test_a_feed_interval_overrides_the_poll_interval():
    record = feed_state.not_modified(feed(interval_s=3600), POLL, NOW)
    assert record.next_poll_at == "2026-03-01T13:00:00Z"


def test_a_body_with_problems_is_partial_and_carries_its_content():
    content = FeedContent('"y"', None, "rss20", 12, "not well-formed")
    record = feed_state.fetched(feed(), POLL, NOW, content)
    assert (record.outcome, record.status, record.content) == ("partial", 200, content)
    assert feed_state.fetched(feed(), POLL, NOW, FeedContent(None, None, "atom10", 3, None)).outcome == "ok"


def test_failures_back_off_exponentially_within_the_cap_and_keep_the_last_success():
    delays = []
    for errors in range(0, 8):
        record = feed_state.failed(feed(error_count=errors), POLL, NOW, 500, "HTTP 500", rng=random.Random(7))
        assert record.error_count == errors + 1 and record.succeeded_at is None and record.content is None
        delays.append((datetime.fromisoformat(record.next_poll_at.replace("Z", "+00:00")) - NOW).total_seconds())
    assert 30 <= delays[0] <= 60 and all(d <= 3600 for d in delays)
    assert delays[3] > delays[0] and delays[-1] >= 1800  # grows, up to backoff_max (jitter in [0.5, 1])


def test_retry_after_is_honoured_but_capped_at_a_day():
    record = feed_state.failed(feed(), POLL, NOW, 429, "HTTP 429", retry_after=7200)
    assert record.retry_after_until == record.next_poll_at == "2026-03-01T14:00:00Z"
    capped = feed_state.failed(feed(), POLL, NOW, 503, "HTTP 503", retry_after=10 * 24 * 3600)
    assert capped.retry_after_until == "2026-03-02T12:00:00Z"


def test_only_a_new_permanent_redirect_is_recorded():
    moved = feed(moved_to="https://b.example/feed.xml")
    assert feed_state.newly_moved(moved, "https://b.example/feed.xml") is None
    assert feed_state.newly_moved(moved, moved.url) is None
    assert feed_state.newly_moved(moved, None) is None
    assert feed_state.newly_moved(moved, "https://c.example/rss") == "https://c.example/rss"
    assert feed_state.not_modified(moved, POLL, NOW, "https://c.example/rss").moved_to == "https://c.example/rss"
