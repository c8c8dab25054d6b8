"""Pure pieces of ingestion: URLs, plain text, Retry-After, the gate, politeness limits."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest

from monitor.config import PollConfig
from monitor.ingest.backoff import failure_delay, parse_retry_after
from monitor.ingest.fetch import Fetcher
from monitor.ingest.gate import Gate
from monitor.ingest.plain import html_to_text, one_line
from monitor.ingest.urls import canonical_url, is_fetchable


@pytest.mark.parametrize("link, base, expected", [
    ("https://Example.COM:443/a/b?utm_source=rss&id=7&fbclid=x#comments", None, "https://example.com/a/b?id=7"),
    ("/news/1?utm_medium=feed", "http://site.example/feed.xml", "http://site.example/news/1"),
    ("story.html", "http://site.example/world/rss", "http://site.example/world/story.html"),
    ("https://www.google.com/url?rct=j&url=https://news.example/x%3Fa%3D1&ct=ga", None, "https://news.example/x?a=1"),
    ("http://site.example", None, "http://site.example/"),
    ("", None, None),
    # Only http(s) article links are kept: no file:, javascript:, data: or mailto: link is stored.
    ("mailto:desk@example.com", None, None),
    ("javascript:alert(document.cookie)", "http://site.example/rss", None),
    ("JaVaScRiPt:alert(1)", None, None),
    ("file:///etc/passwd", "http://site.example/rss", None),
    ("data:text/html;base64,PHNjcmlwdD4=", None, None),
    # Credentials in a link are dropped; IPv6 hosts keep their brackets; protocol-relative links resolve.
    ("http://user:secret@site.example/a", None, "http://site.example/a"),
    ("http://[2001:db8::7]:8080/story?utm_source=x", None, "http://[2001:db8::7]:8080/story"),
    ("https://[2001:DB8::7]/story", None, "https://[2001:db8::7]/story"),
    ("//other.example/story", "https://site.example/rss", "https://other.example/story"),
])
def test_canonical_url(link, base, expected):
    assert canonical_url(link, base) == expected


def test_only_http_urls_are_fetchable():
    assert is_fetchable("https://a.example/x") and is_fetchable("http://127.0.0.1:8000/")
    assert not any(is_fetchable(u) for u in ("file:///etc/passwd", "ftp://a.example/", "javascript:alert(1)", None, "/x"))


def test_plain_text_from_untrusted_html():
    assert one_line("<b>Breaking</b>: &amp; more\n news") == "Breaking: & more news"
    assert one_line("Evil \x1b[31mred\x1b[0m \x9b2J title") == "Evil [31mred[0m 2J title"
    text = html_to_text("<p>One</p><script>alert(1)</script><p>Two &lt;tag&gt;</p>")
    assert text == "One\n\nTwo <tag>"


def test_retry_after_forms():
    now = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Sat, 21 Nov 2026 12:02:00 GMT", now) == 120
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_backoff_grows_and_is_capped():
    config = PollConfig(backoff_base=60, backoff_max=600)
    assert all(30 <= failure_delay(1, config) <= 60 for _ in range(50))
    assert all(300 <= failure_delay(40, config) <= 600 for _ in range(50))


async def test_gate_is_fair_and_bounded():
    gate, running, order = Gate(2), [], []
    peak = 0

    async def job(n: int) -> None:
        nonlocal peak
        async with gate:
            running.append(n)
            peak = max(peak, len(running))
            await asyncio.sleep(0.001)
            running.remove(n)
            order.append(n)

    await asyncio.gather(*(job(n) for n in range(50)))
    assert peak == 2 and order[:2] == [0, 1] and sorted(order) == list(range(50))
    waiter = asyncio.ensure_future(job(99))
    async with gate, gate:
        await asyncio.sleep(0)
        waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    async with gate, gate:  # both slots are free again after the cancellation
        pass


async def test_per_host_and_overall_limits(newsroom):
    config = PollConfig(per_host=3, concurrency=16, read_timeout=5)
    async with Fetcher(config) as fetcher:
        results = await asyncio.gather(*(fetcher.get(newsroom.url(f"/fault/slow?seconds=0.2&n={n}"),
                                                                 trusted=newsroom.base)
                                         for n in range(12)))
    assert all(r.ok for r in results)
    assert 2 <= newsroom.max_in_flight <= 3  # never more than per_host at once (12 were asked for)


def test_sync_feeds_follows_renames_swaps_and_removals(db):
    from monitor.config import FeedConfig
    from monitor.store.feeds import list_feeds, sync_feeds

    sync_feeds(db, (FeedConfig("A", "https://a.example/rss"), FeedConfig("B", "https://b.example/rss", ("x",))))
    ids = {r["name"]: r["id"] for r in list_feeds(db)}
    # Swap the URLs, rename nothing: rows keep their ids (and so their articles and health).
    sync_feeds(db, (FeedConfig("A", "https://b.example/rss"), FeedConfig("B", "https://a.example/rss")))
    assert {(r["name"], r["url"], r["id"]) for r in list_feeds(db)} == {
        ("A", "https://b.example/rss", ids["A"]), ("B", "https://a.example/rss", ids["B"])}
    # Rename A (same URL): same row. Drop B: kept for its articles, no longer listed or polled.
    sync_feeds(db, (FeedConfig("A renamed", "https://b.example/rss"),))
    listed = list_feeds(db)
    assert [(r["name"], r["id"]) for r in listed] == [("A renamed", ids["A"])]
    removed = [r for r in list_feeds(db, include_removed=True) if not r["in_config"]]
    assert [(r["id"], r["enabled"]) for r in removed] == [(ids["B"], False)]
    # A new feed may take the removed one's name and URL.
    sync_feeds(db, (FeedConfig("A renamed", "https://b.example/rss"), FeedConfig("B", "https://a.example/rss")))
    assert {r["name"] for r in list_feeds(db)} == {"A renamed", "B"}
