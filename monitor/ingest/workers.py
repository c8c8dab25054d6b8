"""One process pool for CPU-bound work (feed parsing, page extraction), shared by every poll.

The pool (forkserver workers, see monitor.processes) outlives a poll so that a dashboard
polling every few minutes pays the start-up (importing trafilatura) once.
"""
from __future__ import annotations

import atexit
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from monitor.processes import forkserver_pool, start_watching

_pool: ProcessPoolExecutor | None = None
_size = 0
_guard = threading.Lock()


def worker_count(configured: int) -> int:
    return configured if configured > 0 else (os.cpu_count() or 1)


def _warm(parent: int) -> None:
    import monitor.ingest.extract  # noqa: F401
    import trafilatura  # noqa: F401
    import feedparser  # noqa: F401

    start_watching(parent)


def get_pool(workers: int) -> ProcessPoolExecutor:
    global _pool, _size
    with _guard:
        if _pool is None or _size != workers or getattr(_pool, "_broken", False):
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            _pool = forkserver_pool(workers, _warm, ["monitor.ingest.parse", "monitor.ingest.extract", "trafilatura"])
            _size = workers
        return _pool


def reset_pool() -> None:
    """Drop a broken pool (a worker died); the next get_pool starts a fresh one."""
    global _pool
    with _guard:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


@atexit.register
def _shutdown() -> None:
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["get_pool", "reset_pool", "worker_count", "BrokenProcessPool"]
