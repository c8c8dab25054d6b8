"""A page job's work in the worker (run_page_job), called directly: typed in, typed out.

The pipe and the fetching threads around it are tested through real polls (test_page_workers);
here the page has "arrived" and the job's own decisions are checked on a real SQLite file."""
from __future__ import annotations

from monitor.ingest.jobs import NewArticle, PageJob
from monitor.ingest.workers import Fetched, _close_databases, run_page_job
from monitor.models import FeedItem
from monitor.store import open_db
from monitor.store.feeds import feed_id_by_name, sync_feeds
from monitor.config import FeedConfig
from tests.support.newsroom import fixture_pages

URL = "https://news.example/story/1"


def item(feed_id: int, **changes) -> FeedItem:
    values = dict(feed_id=feed_id, url=URL, guid="g1", title="A headline from the feed",
                  published_at="2026-03-01T10:00:00Z", published_estimated=False,
                  summary="The feed's short summary.", content=None)
    values.update(changes)
    return FeedItem(**values)  # type: ignore[arg-type]


def feed_in(db_path) -> int:
    db = open_db(db_path)
    sync_feeds(db, [FeedConfig("wire", "https://news.example/feed.xml")])
    feed_id = feed_id_by_name(db, "wire")
    db.close()
    assert feed_id is not None
    return feed_id


def test_a_page_without_an_article_comes_back_as_text():
    page = fixture_pages()[0]
    result = run_page_job(PageJob(URL, False), Fetched(200, URL, None), (page.html_path.read_bytes(), "text/html"))
    assert result.error is None and result.stored is None
    assert result.page is not None and len(result.page.text) > 200


def test_a_new_article_is_stored_in_the_worker_and_only_its_id_comes_back(db_path):
    feed_id = feed_in(db_path)
    page = fixture_pages()[0]
    job = PageJob(URL, False, NewArticle(item(feed_id), "https://news.example/feed.xml", str(db_path)))
    try:
        result = run_page_job(job, Fetched(200, URL, None), (page.html_path.read_bytes(), "text/html"))
        again = run_page_job(job, Fetched(200, URL, None), (page.html_path.read_bytes(), "text/html"))
    finally:
        _close_databases()
    assert result.page is None and result.error is None
    assert result.stored is not None and result.stored.article_id is not None
    assert not result.stored.extraction_failed
    assert again.stored is not None and again.stored.article_id is None  # the URL is stored already
    db = open_db(db_path)
    status, text = db.conn.execute("SELECT extraction_status, text FROM articles WHERE id = ?",
                                   [result.stored.article_id]).fetchone()
    db.close()
    assert status == "page" and len(text) > 200


def test_a_page_that_did_not_come_stores_the_feeds_text_with_the_error(db_path):
    feed_id = feed_in(db_path)
    job = PageJob(URL, False, NewArticle(item(feed_id), "https://news.example/feed.xml", str(db_path)))
    try:
        result = run_page_job(job, Fetched(503, URL, "page: 503"), None)
    finally:
        _close_databases()
    assert result.error == "page: 503"
    assert result.stored is not None and result.stored.extraction_failed
    db = open_db(db_path)
    row = db.conn.execute("SELECT extraction_status, extraction_error, text FROM articles").fetchone()
    db.close()
    assert row == ("summary", "page: 503", "The feed's short summary.")
