"""Event identity of each article: its language, the places, names and numbers it names.

Computed once per article by the clusterer (monitor.cluster.identity) when it clusters the
article; read by the event brief and the dashboard (store/identity.py). Articles clustered
before this table existed get theirs from the re-derivation (cluster/rederive.py), a slice per
poll. m001's meta key `identity_backfill_below` belonged to an earlier backfill of its own, which
the re-derivation replaced; nothing reads it now (migrations are history: left as they ran).
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
        numbers TEXT NOT NULL DEFAULT '[]'   -- JSON ["1200", "12"]
    );
    -- Articles clustered before now are backfilled from the newest down.
    INSERT INTO meta(key, value)
        SELECT 'identity_backfill_below', coalesce(max(article_id), 0) + 1 FROM cluster_vectors;
    """)


@migrations()
def m002_identity_days(db: Database) -> None:
    """The weekdays the title and lead name (ArticleIdentity.days); articles identified before
    keep an empty list: they name no day, no evidence either way."""
    execute_script(db, """
    -- JSON [3, 5]: weekdays named in title and lead, 0 is Monday (cluster/weekdays.py)
    ALTER TABLE article_identity ADD COLUMN days TEXT NOT NULL DEFAULT '[]';
    """)
