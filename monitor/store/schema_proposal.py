"""Proposed members: articles the clusterer placed into a locked event, waiting for the analyst.

Locking an event means "keep my decisions": a new article that belongs to it is attached as
proposed (not counted in its size) until the analyst accepts or rejects it (store/triage.py).
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script

migrations = Migrations("monitor-proposal")


@migrations()
def m001_proposed_members(db: Database) -> None:
    execute_script(db, """
    -- 1: placed by the clusterer into a locked event, waiting for the analyst to accept or reject.
    ALTER TABLE assignments ADD COLUMN proposed INTEGER NOT NULL DEFAULT 0;
    """)
