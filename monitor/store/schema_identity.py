"""Event identity tables: each article's language, places, names and numbers; proposed members.

Computed once per article by the clusterer (monitor.cluster.identity) and read back when the
engine is rebuilt, by the dashboard, the event brief and corpus links.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script

migrations = Migrations("monitor-identity")


@migrations()
def m001_article_identity(db: Database) -> None:
    execute_script(db, """
    CREATE TABLE article_identity (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        language TEXT NOT NULL DEFAULT '',   -- ISO 639-1, declared or detected; '' unknown
        places TEXT NOT NULL DEFAULT '[]',   -- JSON [[geonameid, name, country, kind, population]]
        names TEXT NOT NULL DEFAULT '[]',    -- JSON [[matching key, form in the text]]
        numbers TEXT NOT NULL DEFAULT '[]',  -- JSON ["1200", "12"]
        old INTEGER NOT NULL DEFAULT 0       -- published long before the newest article
    );
    -- 1: placed by the clusterer into a locked event, waiting for the analyst to accept or reject.
    ALTER TABLE assignments ADD COLUMN proposed INTEGER NOT NULL DEFAULT 0;
    """)
