"""Dashboard indexes: the status line counts today's articles without scanning the table."""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script

migrations = Migrations("monitor-triage")


@migrations()
def m001_status_indexes(db: Database) -> None:
    execute_script(db, """
    CREATE INDEX IF NOT EXISTS articles_origin_created ON articles(origin, created_at);
    CREATE INDEX IF NOT EXISTS triage_log_open ON triage_log(undone, id);
    """)
