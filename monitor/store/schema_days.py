"""The weekdays an article's title and lead name (ArticleIdentity.days), stored with its identity.

Articles identified before this column existed keep an empty list: they name no day, which the
event similarity reads as no evidence either way.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script

migrations = Migrations("monitor-identity-days")


@migrations()
def m001_identity_days(db: Database) -> None:
    execute_script(db, """
    -- JSON [3, 5]: weekdays named in title and lead, 0 is Monday (cluster/weekdays.py)
    ALTER TABLE article_identity ADD COLUMN days TEXT NOT NULL DEFAULT '[]';
    """)
