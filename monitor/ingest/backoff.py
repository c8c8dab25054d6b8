"""When to poll a feed next: its interval after success, exponential backoff with jitter after failure."""
from __future__ import annotations

import email.utils
import random
from datetime import datetime, timedelta, timezone

from monitor.config import PollConfig
from monitor.timeutil import to_iso


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - (now or datetime.now(timezone.utc))).total_seconds())


def failure_delay(error_count: int, config: PollConfig, rng: random.Random | None = None) -> float:
    """base * 2^(n-1), capped, times a jitter in [0.5, 1] so failing feeds do not retry in lockstep.

    Never longer than backoff_max: a failing feed is retried for ever.
    """
    jitter = (rng or random).uniform(0.5, 1.0)
    exponent = min(max(error_count, 1) - 1, 30)
    delay = min(float(config.backoff_max), config.backoff_base * (2.0 ** exponent))
    return max(1.0, delay * jitter)


def after(now: datetime, seconds: float) -> str:
    return to_iso(now + timedelta(seconds=seconds))
