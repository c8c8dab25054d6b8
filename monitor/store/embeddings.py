"""Reads and writes of the sentence-vector cache (embedding_cache, keyed by content hash)."""
from __future__ import annotations

from sqlite_utils import Database

from monitor.store.db import blob_chunks


def cached_vectors(db: Database, keys: list[bytes]) -> dict[bytes, bytes]:
    """The stored vectors (float32 bytes) of those keys that have one."""
    found: dict[bytes, bytes] = {}
    for chunk, marks in blob_chunks(keys):
        found.update(db.conn.execute(f"SELECT key, vec FROM embedding_cache WHERE key IN ({marks})", chunk))
    return found


def save_vectors(db: Database, rows: list[tuple[bytes, bytes]]) -> None:
    """Store (key, vector bytes) rows; a key already there keeps its vector. Call inside a write transaction."""
    if rows:
        db.conn.executemany("INSERT OR IGNORE INTO embedding_cache (key, vec) VALUES (?, ?)", rows)
