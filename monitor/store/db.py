"""The store's SQL primitives: write transactions, storage failures in words, the meta table,
parameter lists, migration scripts. Opening a database (and migrating it) is `opening.py`, which
the schema modules' migrations, built on these, do not import.

Writers use write_transaction(), which takes the write lock up front (BEGIN IMMEDIATE): a
deferred transaction that upgrades from read to write can fail with "database is locked" at
once, whatever the busy timeout, when cron and the dashboard write together.
"""
from __future__ import annotations

import json

import contextlib
import sqlite3
from typing import Iterable, Iterator, TypeVar

import sqlite_utils

from monitor.errors import MonitorError


class StoreError(MonitorError):
    """The database cannot be opened or written (a clear message, no traceback)."""


class DatabaseLocked(StoreError):
    """Another connection kept the write lock past the busy timeout (a long write elsewhere)."""


# SQLite's primary result codes for a database that cannot take (or give) data, in words.
_STORAGE_FAILURES = (("SQLITE_FULL", "the disk is full"), ("SQLITE_READONLY", "the database is read-only"),
                     ("SQLITE_IOERR", "the disk failed a read or write"), ("SQLITE_CORRUPT", "the database file is corrupt"),
                     ("SQLITE_NOTADB", "the file is not a database (corrupt?)"),
                     ("SQLITE_CANTOPEN", "the database file cannot be opened"))
_LOCKED = "another program kept the database locked past the busy timeout"


def storage_failure(exc: BaseException) -> StoreError | None:
    """A StoreError in words for a full disk, a read-only or corrupt file, a database another
    connection kept locked past the busy timeout (a long write elsewhere); None for anything else
    (a bug in a statement)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_BUSY"):
        return DatabaseLocked(f"{_LOCKED} ({exc})")
    for prefix, words in _STORAGE_FAILURES:
        if name.startswith(prefix):
            return StoreError(f"{words} ({exc})")
    if isinstance(exc, sqlite3.DatabaseError) and "malformed" in str(exc):
        return StoreError(f"the database file is corrupt ({exc})")
    return None


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """Inside: a full disk, a read-only or corrupt database raises StoreError (one clear line)."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        failure = storage_failure(exc)
        if failure is None:
            raise
        raise failure from None


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A short write transaction that holds the write lock from its start."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    with storage_errors():
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # a full disk may refuse even that
                    conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")


def database_file(db: sqlite_utils.Database) -> str:
    """The file behind a connection, for another process to open; "" for an in-memory database."""
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else ""


def meta_value(db: sqlite_utils.Database, key: str) -> str | None:
    """A value of the `meta` table (the database's own bookkeeping: counts, marks, signatures)."""
    row = db.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(db: sqlite_utils.Database, key: str, value: object) -> None:
    db.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, str(value)])


IN_LIST = "(SELECT value FROM json_each(?))"  # `x IN IN_LIST` with one parameter: as_list(values)


def as_list(values: Iterable[int | str]) -> str:
    """Values bound as ONE parameter for `IN_LIST`: no limit on their number (SQLite caps bound
    parameters), and one SQL text whatever the count, so the statement cache serves every call."""
    return json.dumps([v if isinstance(v, str) else int(v) for v in values], ensure_ascii=False)


BLOB_CHUNK = 500  # blobs per `IN (?,?,...)`: well inside SQLite's limit on bound parameters (999 before 3.32)
Blob = TypeVar("Blob", bytes, memoryview)


def blob_chunks(values: list[Blob]) -> Iterator[tuple[list[Blob], str]]:
    """Blobs (which JSON, and so IN_LIST, cannot carry) in slices, each with its "?,?,?" placeholders."""
    for start in range(0, len(values), BLOB_CHUNK):
        chunk = values[start:start + BLOB_CHUNK]
        yield chunk, ",".join("?" * len(chunk))


def dict_rows(cursor: sqlite3.Cursor) -> list[dict]:
    """A cursor's rows as dicts keyed by column name."""
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def execute_script(db: sqlite_utils.Database, script: str) -> None:
    """Run several statements inside the current transaction.

    sqlite3's executescript() commits first, which would break a migration's
    all-or-nothing step; this splits on complete statements instead (trigger
    bodies keep their inner semicolons).
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if statement.strip().strip(";").strip():
                db.conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:80]}")
