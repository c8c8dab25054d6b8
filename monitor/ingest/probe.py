"""`monitor feeds test URL`: one fetch and parse, nothing stored, a verdict a person can act on."""
from __future__ import annotations

from typing import Any

from monitor.config import PollConfig
from monitor.ingest.cycle import FEED_ACCEPT
from monitor.ingest.feed_state import parsed_outcome
from monitor.ingest.fetch import Fetcher
from monitor.ingest.parse import parse_feed
from monitor.timeutil import now_iso


async def probe_feed(url: str, poll: PollConfig) -> dict[str, Any]:
    """The verdict ("ok", "partial", "not a feed", "failed") with the same keys every time (null when not
    known), so a script reading `monitor feeds test --json` never meets a missing key."""
    async with Fetcher(poll) as fetcher:
        result = await fetcher.get(url, trusted=url, accept=FEED_ACCEPT)  # the analyst typed it
    report: dict[str, Any] = {"url": url, "final_url": result.final_url, "moved_to": result.moved_to,
                              "status": result.status, "verdict": "failed", "error": None,
                              "retry_after": result.retry_after, "format": None, "title": None, "entries": 0,
                              "problem": None, "notes": [], "items": []}
    if not result.ok:
        report["error"] = result.error or f"HTTP {result.status}"
        return report
    parsed = parse_feed(result.body, result.headers, result.final_url, 0, now_iso(), poll.max_items)
    report.update(format=parsed.format, title=parsed.title, entries=parsed.entries, problem=parsed.problem,
                  notes=list(parsed.notes),
                  items=[{"title": i.title, "url": i.url, "published": i.published_at} for i in parsed.items])
    if parsed.not_feed:
        report.update(verdict="not a feed", error=parsed.not_feed)
    else:
        report["verdict"] = parsed_outcome(parsed.problem)  # as the poll records it; the problem beside it
    return report
