"""Database access for the dashboard: one connection per thread, one ordered writer.

Reads happen on worker threads (each with its own connection, opened without re-running
migrations); the few reads on the UI thread (a page of visible rows) use WAL snapshots that
never wait for a writer. Triage writes go through one queue drained by one worker, so they
commit in the order the analyst pressed the keys, each in its own short transaction.
"""
from __future__ import annotations

import queue
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable

from sqlite_utils import Database

from monitor.store import open_db

LOCK_RETRIES = 4
Job = Callable[[Database], Any]
Done = Callable[[Any, BaseException | None], None]


class Connections:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.ui = open_db(db_path)  # migrations run once here, on start
        self._local = threading.local()
        self._jobs: queue.Queue[tuple[Job, Done] | None] = queue.Queue()

    def thread_db(self) -> Database:
        """This thread's own connection."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = open_db(self.db_path, migrate=False)
        return db

    # -- the writer -------------------------------------------------------------------------
    def submit(self, job: Job, done: Done) -> None:
        self._jobs.put((job, done))

    def drain(self) -> None:
        """Block until every submitted write has committed (tests, shutdown)."""
        self._jobs.join()

    def stop(self) -> None:
        self._jobs.put(None)

    @staticmethod
    def _run(job: Job, db: Database) -> tuple[Any, BaseException | None]:
        """Run one write; a lock held past the 30 s busy timeout (a long cron transaction) is retried."""
        attempts = 0
        while True:
            try:
                return job(db), None
            except sqlite3.OperationalError as exc:
                attempts += 1
                if "locked" not in str(exc) and "busy" not in str(exc) or attempts == LOCK_RETRIES:
                    return None, exc
                time.sleep(0.5)
            except Exception as exc:  # reported to the analyst, the loop keeps going
                return None, exc

    def run_writer(self, cancelled: Callable[[], bool]) -> None:
        """The writer loop; runs in one thread worker for the app's lifetime."""
        db = open_db(self.db_path, migrate=False)
        try:
            while not cancelled():
                try:
                    item = self._jobs.get(timeout=0.5)
                except queue.Empty:
                    continue
                if item is None:
                    self._jobs.task_done()
                    break
                job, done = item
                result, error = self._run(job, db)
                try:
                    done(result, error)
                finally:
                    self._jobs.task_done()
        finally:
            db.close()
