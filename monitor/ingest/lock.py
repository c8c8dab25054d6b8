"""The poll lock: one poll cycle per database at a time (cron, the dashboard, a manual run).

An flock on a file beside the database: the kernel releases it when the holder dies,
even by SIGKILL, so a killed run never leaves a stale lock behind.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Iterator

from monitor.errors import MonitorError
from monitor.store.db import StoreError



class PollLocked(MonitorError):
    """Another process is polling this database."""


def lock_path(db_path: str | os.PathLike) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".poll.lock")


@contextlib.contextmanager
def poll_lock(db_path: str | os.PathLike) -> Iterator[None]:
    """Hold the poll lock for the block; PollLocked at once when another run holds it."""
    path = lock_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:  # a read-only or full file system
        raise StoreError(f"cannot create the poll lock {path}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "ignore").strip() or "another process"
            raise PollLocked(f"another poll is running (pid {holder}) on {Path(db_path)}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
