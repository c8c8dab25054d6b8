"""Compression bombs: every Content-Encoding layer inflates a bounded step at a time under the
size cap, for feeds, article pages (in the extraction workers) and `monitor feeds test`."""
from __future__ import annotations

import asyncio
import json
import os
import sys

from monitor.config import PollConfig
from monitor.ingest.fetch import Fetcher, PageFetcher
from tests.ingest.conftest import LEXICAL_TOML
from tests.support.newsroom import rss_feed
from tests.support.peak import run_measured

BOMB = "/hostile/bomb?layers=2&mb=1024"  # about 2.5 KB on the wire, 1 GiB decoded
LIMIT_MB = 300


def test_layered_encodings_decode(newsroom):
    """Honest responses in one, two or three layers (gzip and deflate) still decode."""
    config = PollConfig(read_timeout=5)

    async def fetch(encoding: str):
        async with Fetcher(config) as fetcher:
            return await fetcher.get(newsroom.url(f"/hostile/layers?encoding={encoding}"), trusted=newsroom.base)

    for encoding in ("gzip", "deflate", "gzip, gzip", "gzip, deflate, gzip"):
        result = asyncio.run(fetch(encoding))
        assert result.ok and b"Decoded through every layer." in result.body, (encoding, result.error)
    pages = PageFetcher(config)
    try:
        result = pages.get(newsroom.url("/hostile/layers?encoding=deflate, gzip"), trusted=newsroom.base)
    finally:
        pages.close()
    assert result.ok and b"Layered story" in result.body


def test_unknown_encoding_is_a_clear_error(newsroom):
    newsroom.put("/brotli.xml", b"\x1b\x00\x00", content_type="application/rss+xml", content_encoding="br")
    pages = PageFetcher(PollConfig(read_timeout=5))
    try:
        result = pages.get(newsroom.url("/brotli.xml"), trusted=newsroom.base)
    finally:
        pages.close()
    assert result.error == "cannot decode the response: unsupported Content-Encoding 'br'"


def test_two_layer_bomb_in_both_clients_stops_at_the_cap(newsroom):
    config = PollConfig(read_timeout=10, max_bytes=2_000_000)

    async def feed():
        async with Fetcher(config) as fetcher:
            return await fetcher.get(newsroom.url(BOMB), trusted=newsroom.base)

    assert asyncio.run(feed()).error == "response larger than 2000000 bytes"
    pages = PageFetcher(config)
    try:
        assert pages.get(newsroom.url(BOMB + "&type=html"), trusted=newsroom.base).error == \
            "response larger than 2000000 bytes"
    finally:
        pages.close()


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "monitor", *args]


def test_a_poll_against_two_layer_bombs_stays_small(newsroom, tmp_path, rows):
    """The real CLI in a process of its own: a feed that is a bomb and a feed whose article page is
    one. Its peak RSS (and its extraction worker's) stays under 300 MB; both get a clear error."""
    newsroom.put("/bombed-pages.xml", rss_feed("Bombed pages", [
        {"title": "A story whose page is a bomb", "link": newsroom.url(BOMB + "&type=html"), "guid": "b1",
         "description": "The feed's own summary of the story."}]))
    config = tmp_path / "feeds.toml"
    config.write_text(LEXICAL_TOML + "[poll]\nfetch_pages = true\nextract_workers = 1\nread_timeout = 10.0\n\n"
                      f'[[feeds]]\nname = "bomb"\nurl = "{newsroom.url(BOMB)}"\n\n'
                      f'[[feeds]]\nname = "pages"\nurl = "{newsroom.url("/bombed-pages.xml")}"\n', encoding="utf-8")
    db = tmp_path / "monitor.db"
    env = {**os.environ, "MONITOR_EMBEDDING": "off"}
    measured = run_measured(_cli("--db", str(db), "--config", str(config), "poll", "--json"), env=env, tmp=tmp_path)

    assert measured.returncode == 1, measured.stderr  # one feed failed
    assert measured.peak_mb < LIMIT_MB, f"poll process peaked at {measured.peak_mb:.0f} MB"
    assert 0 < measured.descendants_peak_mb < LIMIT_MB, f"a worker peaked at {measured.descendants_peak_mb:.0f} MB"
    summary = json.loads(measured.stdout)
    bomb = next(f for f in summary["feeds"] if f["name"] == "bomb")
    assert bomb["error"] == "response larger than 5000000 bytes"
    article = rows("SELECT text, extraction_error FROM articles")
    assert len(article) == 1
    assert article[0]["extraction_error"] == "page: response larger than 5000000 bytes"
    assert article[0]["text"] == "The feed's own summary of the story."  # the feed's text is kept


def test_feeds_test_against_a_bomb(newsroom, tmp_path):
    measured = run_measured(_cli("feeds", "test", newsroom.url(BOMB), "--json"), tmp=tmp_path,
                            env={**os.environ, "MONITOR_CONFIG": str(tmp_path / "feeds.toml")})
    assert measured.peak_mb < LIMIT_MB, f"`feeds test` peaked at {measured.peak_mb:.0f} MB"
    report = json.loads(measured.stdout)
    assert report["verdict"] == "failed" and report["error"] == "response larger than 5000000 bytes"
