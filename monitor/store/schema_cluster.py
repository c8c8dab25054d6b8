"""Clustering tables: each article's term vector and sketch, document frequencies, cluster kind.

The engine in memory is a cache of these rows: it is rebuilt from them at any time.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script

migrations = Migrations("monitor-cluster")


@migrations()
def m001_vectors_df(db: Database) -> None:
    execute_script(db, """
    ALTER TABLE clusters ADD COLUMN kind TEXT NOT NULL DEFAULT 'event'; -- event | corpus
    CREATE INDEX clusters_kind_seen ON clusters(kind, last_seen);
    CREATE TABLE cluster_vectors (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,            -- event | corpus
        at REAL,                       -- epoch seconds the window is measured on; NULL for corpus
        tf TEXT NOT NULL,              -- JSON: raw term frequencies (title counted twice)
        vec TEXT NOT NULL,             -- JSON: unit TF-IDF vector when clustered
        sketch BLOB NOT NULL,          -- bottom-k MinHash of word 3-grams (uint32)
        emb BLOB                       -- float32 sentence embedding, when embeddings are on
    );
    CREATE TABLE cluster_df (
        term TEXT PRIMARY KEY,
        df INTEGER NOT NULL
    ) WITHOUT ROWID;
    """)


@migrations()
def m002_vectors_kind_index(db: Database) -> None:
    # Every batch reads the corpus vectors (for links) and the newest event time (for the
    # window): without this index both scanned all vectors, 20 ms a batch at 100k articles.
    execute_script(db, "CREATE INDEX cluster_vectors_kind_at ON cluster_vectors(kind, at);")
