"""The split pass's memory (#12): events cut apart by cluster/split.py, which no automatic merge
joins again, in this process or in an engine rebuilt from the file by another.

A pair names the two events as the split left them; a side later merged into another event is
followed through `clusters.merged_into` when read (store/clusters.split_pairs), so the pair holds
for the event it ended up in, and a pair whose two sides the analyst merged into one is void.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script

migrations = Migrations("monitor-split")


@migrations()
def m001_split_pairs(db: Database) -> None:
    execute_script(db, """
    CREATE TABLE split_pairs (
        kept INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,   -- the event cut (it kept its id)
        moved INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,  -- the twin event cut off it
        created_at TEXT NOT NULL,
        PRIMARY KEY (kept, moved)
    ) WITHOUT ROWID;
    CREATE INDEX split_pairs_moved ON split_pairs(moved);
    """)
