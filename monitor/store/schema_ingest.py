"""Ingestion's own columns: why a feed was last unhealthy, and how long a server asked us to wait."""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script

migrations = Migrations("monitor-ingest")


@migrations()
def m001_feed_health(db: Database) -> None:
    execute_script(db, """
    ALTER TABLE feeds ADD COLUMN in_config INTEGER NOT NULL DEFAULT 1;  -- 0: no longer in feeds.toml
    ALTER TABLE feeds ADD COLUMN last_outcome TEXT;     -- ok | partial | not_modified | not_feed | failed
    ALTER TABLE feeds ADD COLUMN last_problem TEXT;     -- a feed that parsed with problems (bozo), kept on success
    ALTER TABLE feeds ADD COLUMN feed_format TEXT;      -- rss20, atom10, ... as feedparser names it
    ALTER TABLE feeds ADD COLUMN retry_after_until TEXT; -- a 429/503 Retry-After: not even --all polls before
    CREATE INDEX feeds_next_poll ON feeds(next_poll_at);
    CREATE INDEX articles_retry ON articles(extraction_status, extraction_attempts) WHERE extraction_error IS NOT NULL;
    """)


@migrations()
def m002_feed_moved(db: Database) -> None:
    execute_script(db, """
    -- Where a permanent redirect (301/308) took the feed's URL: polled there from then on, and
    -- shown by `monitor feeds`, until the URL in feeds.toml changes.
    ALTER TABLE feeds ADD COLUMN moved_to TEXT;
    """)
