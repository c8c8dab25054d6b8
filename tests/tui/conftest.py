"""Dashboard tests run on a real database built the real way: the corpus imported with
`import_paths`, real fixture feeds served by the local newsroom and polled with `poll_once`
(which clusters what it stores). The database is built once per session and copied per test;
times that depend on when it was built are then frozen so snapshots stay stable."""
from __future__ import annotations

import asyncio
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.worker import WorkerCancelled

from monitor.cluster_settings import ClusterSettings
from monitor.config import Config, FeedConfig, PollConfig
from tests.conftest import SHARED, shared_path
from tests.support.newsroom import newsroom, serve  # noqa: F401  (newsroom is a fixture)

# Lexical clustering only: the same clusters whether or not the optional embeddings extra is installed.
CLUSTER = ClusterSettings(embedding="off")
FROZEN_NOW = datetime(2026, 11, 21, 15, 0, tzinfo=timezone.utc)
FROZEN_ISO = "2026-11-21T14:30:00Z"
NEWS_FEEDS = (
    ("Guardian World", "rss20_guardian-world-news_media-content_dc-date.xml", ("world",)),
    ("Daily Mail", "rss20_dailymail_iso-8859-1_duplicate-media-content.xml", ("world",)),
    ("HuffPost Canada", "rss20_huffpost-canada_media-content_cdata.xml", ("world",)),
    ("NBC New York", "rss20_nbc-newyork_nonstandard-date-format.xml", ("us",)),
    ("Livemint", "rss20_livemint-in_html-in-title_crlf.xml", ("asia",)),
    ("heise online", "atom10_heise-de_german-news_cdata.xml", ("tech", "de")),
)


def news_config(room, extra: tuple[FeedConfig, ...] = (), **poll: object) -> Config:
    """The fixture news feeds on the newsroom; no page fetching (their links point off this machine)."""
    feeds = tuple(FeedConfig(name=name, url=room.feed_url(file), tags=tags) for name, file, tags in NEWS_FEEDS)
    settings = {"connect_timeout": 2.0, "read_timeout": 5.0, "fetch_pages": False, "concurrency": 1,
                "per_host": 1, "extract_workers": 1}
    settings.update(poll)
    return Config(feeds=feeds + extra, poll=PollConfig(**settings), cluster=CLUSTER)  # type: ignore[arg-type]


STABLE_BASE = "http://127.0.0.1:8080"
STABLE_SHARED = "/shared"


def freeze_corpus_paths(conn) -> None:
    """Corpus documents' paths start at a fixed folder, not wherever the checkout sits (CI's differs)."""
    conn.execute("UPDATE articles SET source_path = replace(source_path, ?, ?) WHERE source_path IS NOT NULL",
                 [str(SHARED.resolve()), STABLE_SHARED])


def freeze_times(db_path: Path, base: str) -> None:
    """Times written 'now' while building (fetch, poll, creation) set to one fixed instant, and the
    newsroom's random port replaced by a fixed one in stored URLs, so screens are the same every run."""
    from monitor.store import open_db, write_transaction

    db = open_db(db_path)
    with write_transaction(db):
        db.conn.execute("UPDATE articles SET created_at = ?, fetched_at = coalesce(?, fetched_at)",
                        [FROZEN_ISO, FROZEN_ISO])
        db.conn.execute("UPDATE feeds SET last_polled_at = ?, last_success_at = ?, next_poll_at = ?, added_at = ?",
                        [FROZEN_ISO, FROZEN_ISO, "2026-11-21T15:10:00Z", FROZEN_ISO])
        db.conn.execute("UPDATE poll_runs SET started_at = ?, finished_at = ?", [FROZEN_ISO, FROZEN_ISO])
        db.conn.execute("UPDATE clusters SET created_at = ?, updated_at = ?", [FROZEN_ISO, FROZEN_ISO])
        db.conn.execute("UPDATE articles SET url = replace(url, ?, ?)", [base, STABLE_BASE])
        db.conn.execute("UPDATE feeds SET url = replace(url, ?, ?)", [base, STABLE_BASE])
        freeze_corpus_paths(db.conn)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def build_database(db_path: Path, room) -> Config:
    """Corpus imported, fixture feeds polled one at a time (a stable order), times frozen."""
    from monitor.corpus.importer import import_paths
    from monitor.ingest.poller import poll_once
    from monitor.store import open_db

    db = open_db(db_path)
    import_paths(db, [shared_path("corpus")])
    db.close()
    config = news_config(room)
    for feed in config.feeds:
        poll_once(db_path, config, force=True, feed_names=(feed.name,))
    pages = news_config(room, (FeedConfig(name="Newsroom pages", url=room.extraction_feed_url(), tags=("pages",)),),
                        fetch_pages=True)
    poll_once(db_path, pages, force=True, feed_names=("Newsroom pages",))
    freeze_times(db_path, room.base)
    return config


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> tuple[Path, list[tuple[str, str, tuple[str, ...]]]]:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "monitor.db"
    for room in serve():
        build_database(path, room)
    return path


@pytest.fixture
def built_db(template_db: Path, db_path: Path) -> Path:
    """A private copy of the built database at the test's MONITOR_DB path."""
    shutil.copy(template_db, db_path)
    return db_path


@pytest.fixture
def offline_config() -> Config:
    """The news feeds' names and tags, pointing at a closed port (the dashboard does not poll in tests)."""
    feeds = tuple(FeedConfig(name=name, url=f"http://127.0.0.1:9/{file}", tags=tags) for name, file, tags in NEWS_FEEDS)
    return Config(feeds=feeds, cluster=CLUSTER)


async def settle(pilot, passes: int = 6) -> None:
    """Wait until queued writes have committed and every load they or the keys started is shown.

    A message bubbles one widget per pass, so several quiet passes in a row are required.
    """
    app = pilot.app

    def busy() -> bool:
        return any(w.group not in ("writer", "poll") and not w.is_finished for w in app.workers)

    quiet = 0
    while quiet < passes:
        await asyncio.to_thread(app.dbs.drain)
        await pilot._wait_for_screen()
        if busy():
            quiet = 0
            for worker in [w for w in app.workers if w.group not in ("writer", "poll") and not w.is_finished]:
                try:
                    await worker.wait()
                except WorkerCancelled:
                    pass  # superseded by a newer exclusive worker of its group, which the loop waits for
        else:
            quiet += 1
    await pilot.pause()


@pytest.fixture
def brief_db(db_path):
    """The brief's fixture events (Kharkiv, Kursk) in a fresh database: (path, their ids)."""
    from monitor.store import open_db
    from tests.support.brief_events import build_brief_events

    db = open_db(db_path)
    events = build_brief_events(db)
    db.close()
    return db_path, events
