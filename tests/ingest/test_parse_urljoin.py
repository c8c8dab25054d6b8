"""parse_feed remembers feedparser's URL joins (monitor.ingest.parse._remembered_urljoin): every fixture
feed must give the same items as with feedparser's own join, relative links and xml:base included."""
from __future__ import annotations

import gzip

import feedparser.mixin
import feedparser.urls
import pytest

from monitor.ingest import parse
from monitor.ingest.parse import parse_feed
from tests.support.newsroom import fixture_feed_files

BASE = "https://news.example/section/feeds/latest.xml"
# parse_feed reads updated_parsed, which feedparser 6 maps to published_parsed with a warning
pytestmark = pytest.mark.filterwarnings("ignore:To avoid breaking existing software:DeprecationWarning")


def _parsed_fixture_feeds() -> list:
    out = []
    for path in fixture_feed_files():
        body = path.read_bytes()
        if path.name.endswith(".gz"):
            body = gzip.decompress(body)
        kind = "text/html" if path.name.endswith(".html") else "application/xml"
        out.append(parse_feed(body, {"Content-Type": kind}, BASE, 1, "2026-11-27T20:00:00Z"))
    return out


def test_every_fixture_feed_gives_the_same_items_as_with_feedparsers_own_join(monkeypatch):
    assert feedparser.mixin._urljoin is parse._remembered_urljoin  # the parse's joins go through it
    assert feedparser.urls._urljoin is parse._remembered_urljoin
    remembered = _parsed_fixture_feeds()
    remembered_again = _parsed_fixture_feeds()  # every join answered from what was remembered
    monkeypatch.setattr(feedparser.urls, "_urljoin", parse._feedparser_urljoin)
    monkeypatch.setattr(feedparser.mixin, "_urljoin", parse._feedparser_urljoin)
    plain = _parsed_fixture_feeds()
    assert remembered == plain
    assert remembered_again == plain
    items = [item for feed in plain for item in feed.items]
    assert len(items) > 1000
    # The comparison covers joins that change something: relative links and ids resolved
    # against the feed's URL (the feeds' own links point elsewhere).
    assert sum(1 for item in items if (item.url or "").startswith("https://news.example/")) > 10
    assert sum(1 for item in items if (item.guid or "").startswith("https://news.example/")) > 10
