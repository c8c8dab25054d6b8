"""Sentence vectors by content hash: a text embedded once is not embedded again.

Kept apart from the clustering tables: a re-clustering forgets the clusters, not these.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script

migrations = Migrations("monitor-embed")


@migrations()
def m001_embedding_cache(db: Database) -> None:
    execute_script(db, """
    CREATE TABLE embedding_cache (
        key BLOB PRIMARY KEY,          -- sha256 (16 bytes) of the model, its settings and the text
        vec BLOB NOT NULL              -- float32 unit vector
    ) WITHOUT ROWID;
    """)
