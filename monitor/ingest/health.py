"""A feed's health, decided once for `monitor feeds` and the dashboard's `H` screen.

Both lay the same facts out their own way (lines on stdout, styled text on screen); the rules are
here: which feeds are failing (enabled, and the last poll failed), the state word, the order
(failing first, then by name), and when the last error is worth showing (only while failing: a
feed that recovered keeps its last error in the database, not on screen).
Names, URLs and errors come from feeds and servers: each front end cleans them for display.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable


@dataclass(frozen=True)
class FeedHealth:
    name: str
    url: str
    enabled: bool
    failing: bool
    state: str  # 'removed' (from feeds.toml), 'disabled', the last poll's outcome, or 'never polled'
    status: int | None  # the last HTTP status
    errors: int  # failed polls in a row
    articles: int
    without_text: int  # articles stored without their page's text (to be retried)
    last_success_at: str | None
    next_poll_at: str | None
    tags: tuple[str, ...]
    error: str | None  # the last error, while failing
    problem: str | None  # the feed parsed with problems
    moved_to: str | None  # where a permanent redirect took it


def feed_health(row: dict[str, Any]) -> FeedHealth:
    """From a monitor.store.feeds.list_feeds() row."""
    enabled = bool(row["enabled"])
    failing = enabled and bool(row["error_count"])
    return FeedHealth(
        name=row["name"], url=row["url"], enabled=enabled, failing=failing,
        state=("removed" if not row.get("in_config", True) else "disabled") if not enabled
        else (row["last_outcome"] or "never polled"),
        status=row["last_status"], errors=row["error_count"] or 0, articles=row["articles"],
        without_text=row["extraction_failures"] or 0, last_success_at=row["last_success_at"],
        next_poll_at=row["next_poll_at"], tags=tuple(row.get("tags") or ()),
        error=row["last_error"] if failing else None, problem=row["last_problem"] or None,
        moved_to=row.get("moved_to") or None)


def failing_first(rows: Iterable[dict[str, Any]]) -> list[FeedHealth]:
    return sorted(map(feed_health, rows), key=lambda h: (not h.failing, h.name.lower()))
