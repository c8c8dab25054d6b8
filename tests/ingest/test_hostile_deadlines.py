"""Servers that trickle: one wall-clock deadline per request (connect, headers, interim
responses, body), and one for the whole poll, after which it records what it has, prints its
summary and frees the lock. The hostile routes would hold a request for 60 s; the bounds below
are far under that and far over the configured deadlines."""
from __future__ import annotations

import os
import sys
import time

from monitor.ingest.poller import poll_once
from tests.ingest.conftest import LEXICAL_TOML, make_config
from tests.support.newsroom import fixture_pages, rss_feed
from tests.support.peak import run_measured

GOOD = "/feeds/rss20_harvard-spec-sample_liftoff-news.xml"
TRICKLE = "/hostile/trickle-headers?seconds=60"
CONTINUE = "/hostile/continue?seconds=60"
HELD = 60  # seconds the hostile server would hold a request
PAGE = fixture_pages()[0].route


def _feed(rows, name):
    return rows("SELECT * FROM feeds WHERE name = ?", name)[0]


def test_a_trickling_page_or_feed_ends_at_the_request_deadline(newsroom, db_path, rows):
    newsroom.put("/slow-pages.xml", rss_feed("Slow pages", [
        {"title": "Headers one byte a second", "link": newsroom.url(TRICKLE + "&p=1"), "guid": "t1",
         "description": "Summary one."},
        {"title": "Continue for ever", "link": newsroom.url(CONTINUE + "&p=2"), "guid": "t2",
         "description": "Summary two."}]))
    config = make_config([("pages", newsroom.url("/slow-pages.xml")), ("trickle", newsroom.url(TRICKLE)),
                          ("continue", newsroom.url(CONTINUE))],
                         fetch_pages=True, extract_workers=1, request_deadline=2.0, read_timeout=5.0)
    started = time.monotonic()
    summary = poll_once(db_path, config)
    elapsed = time.monotonic() - started

    assert elapsed < HELD / 3, f"the poll took {elapsed:.1f} s"
    expected = "timed out: the request's deadline of 2 s passed"
    assert _feed(rows, "trickle")["last_error"] == expected
    assert _feed(rows, "continue")["last_error"] == expected
    assert summary.new_articles == 2 and summary.failed == 2
    articles = rows("SELECT title, text, extraction_error FROM articles ORDER BY title")
    assert [(a["text"], a["extraction_error"]) for a in articles] == [
        ("Summary two.", f"page: {expected}"), ("Summary one.", f"page: {expected}")]


def test_the_poll_deadline_stops_the_poll_and_frees_the_lock(newsroom, tmp_path, rows):
    """Request deadlines longer than the poll's: at its own deadline the poll starts nothing more,
    records what it has (an article whose page is still coming keeps the feed's text, its page
    is tried at a later poll), prints its summary, exits 1, and the next run (cron's) gets the
    lock and takes the unfinished feeds."""
    newsroom.put("/good.xml", rss_feed("Good", [{"title": "A real page", "link": newsroom.url(PAGE), "guid": "g1",
                                                 "description": "Good summary."}]))
    newsroom.put("/slow-page.xml", rss_feed("Slow page", [{"title": "A trickling page", "guid": "s1",
                                                           "link": newsroom.url(TRICKLE + "&p=3"),
                                                           "description": "Slow summary."}]))
    config = tmp_path / "feeds.toml"
    config.write_text(LEXICAL_TOML + "[poll]\nfetch_pages = true\nextract_workers = 1\nper_host = 4\n"
                      'request_deadline = 50.0\nread_timeout = 30.0\npoll_deadline = "10s"\n\n'
                      f'[[feeds]]\nname = "good"\nurl = "{newsroom.url("/good.xml")}"\n\n'
                      f'[[feeds]]\nname = "slow page"\nurl = "{newsroom.url("/slow-page.xml")}"\n\n'
                      f'[[feeds]]\nname = "trickle"\nurl = "{newsroom.url(TRICKLE)}"\n\n'
                      f'[[feeds]]\nname = "continue"\nurl = "{newsroom.url(CONTINUE)}"\n', encoding="utf-8")
    command = [sys.executable, "-m", "monitor", "--db", str(tmp_path / "monitor.db"), "--config", str(config), "poll"]
    env = {**os.environ, "MONITOR_EMBEDDING": "off"}

    first = run_measured(command, env=env, tmp=tmp_path)

    assert first.seconds < HELD / 2, f"the poll took {first.seconds:.1f} s"
    assert first.returncode == 1, first.stderr
    assert "feeds polled: 2, not modified: 0, failed: 0, new articles: 2, extraction failures: 1" in first.stdout
    assert "the poll's deadline of 10 s passed: 2 feeds and 1 article page left for the next run" in first.stdout
    assert _feed(rows, "good")["last_outcome"] == "ok" and _feed(rows, "slow page")["last_outcome"] == "ok"
    assert _feed(rows, "trickle")["last_polled_at"] is None  # nothing recorded: due at the next run
    slow = rows("SELECT text, extraction_error FROM articles WHERE title = 'A trickling page'")[0]
    assert slow == {"text": "Slow summary.", "extraction_error": "page: not fetched before the poll's deadline (10 s)"}
    assert rows("SELECT extraction_error FROM articles WHERE title = 'A real page'")[0]["extraction_error"] is None
    assert rows("SELECT status FROM poll_runs")[0]["status"] == "partial"

    second = run_measured(command, env=env, tmp=tmp_path)
    assert second.returncode == 1  # the lock was free (3 would mean locked); the two feeds stop it again
    assert "the poll's deadline of 10 s passed: 2 feeds and 0 article pages left" in second.stdout
    assert len([h for p, h in newsroom.requests if p == TRICKLE + "&p=3"]) == 2  # the page was tried again
