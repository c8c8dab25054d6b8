"""A page host the poll cannot reach is asked DOWN_AFTER times, not once per item: its other articles
are stored at once with the feed's text and a reason, and wait for a later poll."""
from __future__ import annotations

import socket

from monitor.ingest.poller import poll_once
from monitor.ingest.unreachable import DOWN_AFTER, UnreachableHosts
from monitor.store import open_db
from monitor.store.polls import articles_to_retry
from tests.ingest.conftest import make_config
from tests.support.newsroom import rss_feed


def test_a_host_is_down_after_failures_in_a_row_and_an_answer_starts_it_again():
    hosts = UnreachableHosts()
    url = "https://pages.example/a.html"
    for _ in range(DOWN_AFTER - 1):
        hosts.record(url, True, "page: ConnectError: refused")
    hosts.record("https://pages.example/b.html", False, "page: HTTP 404")  # it answered: up
    for _ in range(DOWN_AFTER - 1):
        hosts.record(url, True, "page: ConnectError: refused")
    assert hosts.down("https://pages.example/c.html") is None
    hosts.record(url, True, "page: ConnectError: refused")
    found = hosts.down("https://www.pages.example/c.html")  # the same site
    reason = None if found is None else str(found)
    assert reason is not None and f"pages.example could not be reached {DOWN_AFTER} times" in reason
    assert "(ConnectError: refused)" in reason
    assert hosts.down("https://other.example/c.html") is None


def test_a_dead_page_host_costs_a_few_attempts_and_loses_no_article(newsroom, db_path, rows):
    with socket.socket() as probe:  # a port on 127.0.0.1 where nothing listens: connections refused
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    count, per_host = 12, 2
    items = [{"title": f"Story {n}", "link": f"http://127.0.0.1:{dead}/story-{n}.html", "guid": f"story-{n}",
              "description": f"Summary of story {n}."} for n in range(count)]
    newsroom.put("/feeds/dead-pages.xml", rss_feed("pages", items))
    config = make_config([("dead pages", newsroom.url("/feeds/dead-pages.xml"))], fetch_pages=True,
                         per_host=per_host, allow_addresses=("127.0.0.1",))

    summary = poll_once(db_path, config)

    assert summary.new_articles == count and summary.failed == 0
    stored = rows("SELECT title, text, extraction_status, extraction_error FROM articles ORDER BY id")
    assert len(stored) == count
    assert all(r["extraction_status"] == "summary" and r["text"].startswith("Summary of story") for r in stored)
    asked = [r for r in stored if "ConnectError" in r["extraction_error"] and "could not be reached" not in r["extraction_error"]]
    skipped = [r for r in stored if "could not be reached" in r["extraction_error"]]
    # per_host requests may be under way when the host is found down: at most per_host - 1 more are asked
    assert DOWN_AFTER <= len(asked) <= DOWN_AFTER + per_host - 1, stored
    assert len(asked) + len(skipped) == count
    assert all("127.0.0.1 could not be reached" in r["extraction_error"] and "tried again at a later poll"
               in r["extraction_error"] for r in skipped)
    (outcome,) = summary.feeds  # the poll's summary says so once for the feed
    assert any(note.startswith(f"{len(skipped)} article pages left for a later poll, 127.0.0.1 could not be reached")
               for note in outcome.notes), outcome.notes
    db = open_db(db_path)
    try:  # every one of them is tried again at the next poll
        assert len(articles_to_retry(db, max_attempts=3)) == count
    finally:
        db.close()
