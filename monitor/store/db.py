"""Opening the database: WAL, busy timeout, foreign keys, SQL functions, migrations.

Every thread and process opens its own connection with open_db(). Writers use
write_transaction(), which takes the write lock up front (BEGIN IMMEDIATE): a deferred
transaction that upgrades from read to write can fail with "database is locked" at once,
whatever the busy timeout, when cron and the dashboard write together.
"""
from __future__ import annotations

import json

import contextlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Iterator, TypeVar

import sqlite_utils

from monitor.errors import MonitorError
from monitor.text.fold import fold
from monitor.text.stem import stem_text

BUSY_TIMEOUT_MS = 30_000


class StoreError(MonitorError):
    """The database cannot be opened or written (a clear message, no traceback)."""


# SQLite's primary result codes for a database that cannot take (or give) data, in words.
_STORAGE_FAILURES = (("SQLITE_FULL", "the disk is full"), ("SQLITE_READONLY", "the database is read-only"),
                     ("SQLITE_IOERR", "the disk failed a read or write"), ("SQLITE_CORRUPT", "the database file is corrupt"),
                     ("SQLITE_NOTADB", "the file is not a database (corrupt?)"),
                     ("SQLITE_CANTOPEN", "the database file cannot be opened"))


def storage_failure(exc: BaseException) -> StoreError | None:
    """A StoreError in words for a full disk, a read-only or corrupt file; None for anything else
    (a locked database, a bug in a statement)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
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


def is_writable(path: Path) -> bool:
    """Whether SQLite can write the file and its -wal/-shm beside it (false on a read-only mount)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _switch_to_wal(conn: sqlite3.Connection) -> str:
    """PRAGMA journal_mode = WAL, waiting out other connections opening the same fresh file.

    The switch needs the file to itself and SQLite answers "database is locked" at once,
    without the busy handler: a cron poll and the dashboard creating the database at the
    same moment failed 1 time in 50 (three threads racing on fresh files)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.002
    while True:
        try:
            return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(2 * pause, 0.1)


def open_db(path: str | os.PathLike[str], *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database at path, ready for use by this thread."""
    path = Path(path)
    if str(path) != ":memory:":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {path.parent}: {exc.strerror}") from None
    read_only = str(path) != ":memory:" and path.exists() and not is_writable(path)
    try:
        conn = _connect_read_only(path) if read_only else _connect(str(path))
        db = sqlite_utils.Database(conn, execute_plugins=False)
        if str(path) != ":memory:" and not read_only:
            mode = _switch_to_wal(conn)
            if mode.lower() != "wal":
                raise StoreError(f"{path}: could not switch to WAL journal mode (got {mode})")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        db.register_function(fold, deterministic=True, name="monitor_fold")
        db.register_function(stem_text, deterministic=True, name="monitor_stem")  # the search index's words
        if migrate:
            apply_migrations(db)
            if not read_only:  # a read-only file is searched with the index it has
                from monitor.store.schema_search import ensure_stems_current  # the schema modules import this one

                ensure_stems_current(db)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a file that is no database fails here
    except sqlite3.DatabaseError as exc:
        failure = storage_failure(exc)
        raise StoreError(f"{path}: {failure or exc}") from None
    return db


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only file or mount: SQLite cannot create the -wal and -shm it reads a WAL file
    through, so it is opened immutable (nothing can change it anyway) for reading."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                           timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    return conn


def apply_migrations(db: sqlite_utils.Database) -> None:
    """Apply pending migrations; each step and its record commit together."""
    from monitor.store.schema import MIGRATION_SETS  # the schema modules use execute_script below

    sets = MIGRATION_SETS
    if all(not s.pending(db) for s in sets):
        return
    # One locked transaction: a second process opening a fresh file at the same moment
    # waits for the lock, then finds nothing pending (each step nests as a savepoint).
    with write_transaction(db):
        for migration_set in sets:
            migration_set.apply(db)


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
