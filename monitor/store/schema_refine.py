"""Articles waiting for a second look (cluster/refine.py): those still alone in the events they
opened, with how often they were looked at since. Kept in SQLite so an engine rebuilt from it
(another process wrote) looks at the same articles at the same moments as the one it replaces:
the same input, the same clusters.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script

migrations = Migrations("monitor-refine")


@migrations()
def m001_member_looks(db: Database) -> None:
    execute_script(db, """
    CREATE TABLE member_looks (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        looks INTEGER NOT NULL DEFAULT 0 -- second looks taken so far
    );
    """)
