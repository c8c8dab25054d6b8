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


@migrations()
def m002_cluster_list_orders(db: Database) -> None:
    # One index per sort of the cluster list, in display order and covering the state and time
    # filters: the view's id list is an index walk (2 ms at 10k clusters) instead of a lookup per
    # cluster and a sort (8-13 ms). The sort keys are views._ORDER's expressions, written out
    # again because a migration must not change when that module does; a test checks they match.
    execute_script(db, """
    CREATE INDEX clusters_view_activity
        ON clusters(coalesce(last_seen, updated_at) DESC, id DESC,
                    merged_into, kind, status, starred, size, seen_size, last_seen, updated_at)
        WHERE merged_into IS NULL AND size > 0;
    CREATE INDEX clusters_view_size
        ON clusters(size DESC, last_seen DESC, id DESC,
                    merged_into, kind, status, starred, seen_size, updated_at)
        WHERE merged_into IS NULL AND size > 0;
    CREATE INDEX clusters_view_velocity
        ON clusters((size / max(1.0, (julianday(coalesce(last_seen, created_at))
                                      - julianday(coalesce(first_seen, created_at))) * 24.0)) DESC, id DESC,
                    merged_into, kind, status, starred, size, seen_size, last_seen, updated_at)
        WHERE merged_into IS NULL AND size > 0;
    """)
