"""One process pool for CPU-bound work (feed parsing, page extraction), shared by every poll.

forkserver, not fork: the parent may run threads (the dashboard) and holds the poll lock;
forked children would inherit both. The pool outlives a poll so that a dashboard polling
every few minutes pays the start-up (importing trafilatura) once.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

_pool: ProcessPoolExecutor | None = None
_size = 0
_guard = threading.Lock()


def worker_count(configured: int) -> int:
    return configured if configured > 0 else (os.cpu_count() or 1)


def _watch_parent(pid: int) -> None:
    """Exit when the poller is gone (SIGKILL leaves pool workers blocked on their queue for ever)."""
    import time

    while True:
        time.sleep(1.0)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def _warm(parent: int) -> None:
    import monitor.ingest.extract  # noqa: F401
    import trafilatura  # noqa: F401
    import feedparser  # noqa: F401

    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()


def _start_helper_processes() -> None:
    """Start the resource tracker and the forkserver now, with the process's own stderr.

    The resource tracker hands sys.stderr's descriptor to its child. Inside the dashboard,
    Textual has replaced sys.stderr with a capture object whose descriptor is not a real one,
    and the first pool start failed with "bad value(s) in fds_to_keep".
    """
    from multiprocessing import forkserver, resource_tracker

    saved = sys.stderr
    try:
        sys.stderr = sys.__stderr__
        resource_tracker.ensure_running()
        forkserver.ensure_running()
    finally:
        sys.stderr = saved


def get_pool(workers: int) -> ProcessPoolExecutor:
    global _pool, _size
    with _guard:
        if _pool is None or _size != workers or getattr(_pool, "_broken", False):
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["monitor.ingest.parse", "monitor.ingest.extract", "trafilatura"])
            _start_helper_processes()
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm,
                                        initargs=(os.getpid(),))
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
