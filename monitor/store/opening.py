"""Opening the database: WAL, busy timeout, foreign keys, SQL functions, migrations.

Every thread and process opens its own connection with open_db(), which applies the pending
migrations (schema.py lists them in order). fresh_schema() is the schema a new database gets
(tests/store/fresh_schema.txt holds it, checked by a test).
"""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from monitor.store.db import StoreError, storage_failure, write_transaction
from monitor.store.schema import MIGRATION_SETS, schema_dump
from monitor.store.schema_search import ensure_stems_current
from monitor.text.fold import fold
from monitor.text.stem import stem_text
from monitor.text.name_skeleton import names_person

BUSY_TIMEOUT_MS = 30_000


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
        db.register_function(names_person, deterministic=True, name="monitor_names_person")  # who: across alphabets
        if migrate:
            apply_migrations(db)
            if not read_only:  # a read-only file is searched with the index it has
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
    sets = MIGRATION_SETS
    if all(not s.pending(db) for s in sets):
        return
    # One locked transaction: a second process opening a fresh file at the same moment
    # waits for the lock, then finds nothing pending (each step nests as a savepoint).
    with write_transaction(db):
        for migration_set in sets:
            migration_set.apply(db)


def fresh_schema() -> str:
    """The dump of a new in-memory database after every migration."""
    db = open_db(":memory:")
    try:
        return schema_dump(db)
    finally:
        db.close()
