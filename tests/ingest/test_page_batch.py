"""A worker stores the articles of the pages that arrived together in one transaction
(monitor.ingest.page_batch): what it stores must be what storing them one by one stores, one
article's failure must stay that article's, and a batch must never wait for pages not yet there."""
from __future__ import annotations

import sqlite3

from monitor.ingest import page_batch
from monitor.ingest.articles import NewItem, store_article, store_articles
from monitor.ingest.extract import PageText
from monitor.ingest.jobs import NewArticle, PageResult
from monitor.ingest.page_batch import BATCH_PAGES, PageBatch
from monitor.ingest.workers import _close_databases, in_database
from monitor.store.db import StoreError
from tests.ingest.test_page_jobs import feed_in, item

FEED = "https://news.example/feed.xml"
_VOLATILE = {"id", "fetched_at", "created_at"}


def _new(feed_id: int, n: int, **changes) -> NewItem:
    text = (f"Story {n}: at least 12 people were killed and about 40 wounded when a bus hit a lorry near "
            f"Ghent on Tuesday, the police said. The road stayed closed for six hours.")
    page = PageText(text=text, language="en", charset="utf-8")
    return NewItem(item(feed_id, url=f"https://news.example/story/{n}", guid=f"g{n}", title=f"Headline {n}",
                        **changes), page, None, FEED)


def _stored(db_path) -> list[tuple]:
    db = in_database(str(db_path))
    articles = [{k: v for k, v in row.items() if k not in _VOLATILE}
                for row in db.query("SELECT * FROM articles ORDER BY url")]
    figures = list(db.conn.execute("SELECT a.url, f.position, f.value, f.counts, f.number_text FROM figures f "
                                   "JOIN articles a ON a.id = f.article_id ORDER BY a.url, f.id"))
    fts = db.conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'kill'").fetchone()[0]
    return [articles, figures, fts]


def test_several_articles_in_one_transaction_store_what_one_by_one_stores(tmp_path):
    together, alone = tmp_path / "together.db", tmp_path / "alone.db"
    feed_together, feed_alone = feed_in(together), feed_in(alone)
    try:
        stored = store_articles(in_database(str(together)), [_new(feed_together, n) for n in range(5)])
        one_by_one = [store_article(in_database(str(alone)), *_fields(_new(feed_alone, n))) for n in range(5)]
        assert [s.article_id is not None for s in stored] == [True] * 5
        assert stored == one_by_one  # the same ids, in the same order, the same failures (none)
        got, expected = _stored(together), _stored(alone)
    finally:
        _close_databases()
    assert got == expected
    assert got[1] and got[2] == 5  # figures were stored, and every article's stemmed words ("killed")


def test_one_articles_failure_is_its_own_and_the_others_are_stored(db_path):
    feed_id = feed_in(db_path)
    batch = PageBatch(in_database)
    target = NewArticle(item(feed_id), FEED, str(db_path))
    for job_id, new in enumerate([_new(feed_id, 0), _new(999, 1), _new(feed_id, 2)]):  # no feed 999
        batch.add(job_id, target, new, None)
    try:
        replies = batch.store()
        stored = _stored(db_path)[0]
    finally:
        _close_databases()
    assert [(job_id, ok) for job_id, ok, _ in replies] == [(0, True), (1, False), (2, True)]
    assert "FOREIGN KEY" in replies[1][2]
    assert all(isinstance(value, PageResult) and value.stored and value.stored.article_id
               for _, ok, value in replies if ok)
    assert [row["url"] for row in stored] == ["https://news.example/story/0", "https://news.example/story/2"]
    assert len(batch) == 0


def test_a_batch_is_stored_when_nothing_waits_when_full_or_when_its_first_page_has_waited(db_path, monkeypatch):
    feed_id = feed_in(db_path)
    batch = PageBatch(in_database)
    target = NewArticle(item(feed_id), FEED, str(db_path))
    assert not batch.due(nothing_waiting=True)  # an empty batch: nothing to store
    batch.add(0, target, _new(feed_id, 0), None)
    assert batch.due(nothing_waiting=True)  # no other page to wait for: never wait for one to come
    assert not batch.due(nothing_waiting=False)
    for n in range(1, BATCH_PAGES):
        batch.add(n, target, _new(feed_id, n), None)
    assert batch.due(nothing_waiting=False)  # full
    assert not batch.accepts(NewArticle(item(feed_id), FEED, str(db_path) + "-other"))  # one database a batch
    try:
        assert all(ok for _, ok, _ in batch.store())
        batch.add(BATCH_PAGES, target, _new(feed_id, BATCH_PAGES), None)
        monkeypatch.setattr(page_batch, "BATCH_SECONDS", 0.0)
        assert batch.due(nothing_waiting=False)  # its first page has waited long enough
    finally:
        _close_databases()


def _fields(new: NewItem) -> tuple:
    return new.item, new.page, new.page_error, new.feed_url


def test_a_database_locked_past_the_busy_timeout_is_every_jobs_store_error_waited_once(db_path):
    """Another program (a dashboard's long write) holding the write lock past the busy timeout: the
    batch's jobs each get the StoreError the poll says once for the whole run, keeping the feeds'
    ETags so the next poll brings the items back; before, the worker tried each article alone (a
    busy timeout each: 4 x 30 s, past the 60 s extraction watchdog, which killed it), and the poll
    logged the RuntimeError of each feed with a traceback."""
    feed_id = feed_in(db_path)
    target = NewArticle(item(feed_id), FEED, str(db_path))
    waits: list[int] = []

    def database(path: str):
        db = in_database(path)
        db.conn.execute("PRAGMA busy_timeout = 50")
        waits.append(1)
        return db

    batch = PageBatch(database)
    for job_id in range(3):
        batch.add(job_id, target, _new(feed_id, job_id), None)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        replies = batch.store()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        _close_databases()
    assert [(job_id, ok) for job_id, ok, _ in replies] == [(0, False), (1, False), (2, False)]
    assert len(waits) == 1  # one wait on the lock, not one per article
    failures = [page_batch.failure_of(text) for _, _, text in replies]
    assert all(isinstance(f, StoreError) for f in failures)
    assert str(failures[0]) == "another program kept the database locked past the busy timeout (database is locked)"
    assert isinstance(page_batch.failure_of("ValueError: bad page"), RuntimeError)
