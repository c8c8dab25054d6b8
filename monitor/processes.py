"""What every process pool of the package needs: forkserver workers that die with their parent.

forkserver, not fork: the parent may run threads (the dashboard) and holds the poll lock;
forked children would inherit both.
"""
from __future__ import annotations

import atexit
import gc
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable


def watch_parent(pid: int) -> None:
    """Exit when the parent is gone (SIGKILL leaves pool workers blocked on their queue for ever)."""
    import time

    while True:
        time.sleep(1.0)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def start_watching(parent: int) -> None:
    """For a worker initializer: a daemon thread that ends the worker with its parent."""
    threading.Thread(target=watch_parent, args=(parent,), daemon=True, name="watch-parent").start()


# Where workers started from now on write their standard error (None: the parent's own). The
# dashboard points it at its log file: a worker inherits the terminal as its stderr, and a warning
# a library logs there (trafilatura's, onnxruntime's) would be drawn over the dashboard's screen.
_stderr_to: str | None = None


def send_worker_stderr_to(path: str | None) -> None:
    """Workers started after this call write their stderr (and log records) to `path`, appended."""
    global _stderr_to
    _stderr_to = path


@dataclass(frozen=True)
class ParentLink:
    """What a worker is started with: its parent's pid (it ends with it) and where its stderr goes."""

    parent: int
    stderr_to: str | None

    @classmethod
    def here(cls) -> ParentLink:
        return cls(os.getpid(), _stderr_to)


def worker_start(link: ParentLink) -> None:
    """Every worker's first step: write stderr where the parent said, and end with the parent."""
    if link.stderr_to is not None:
        try:
            fd = os.open(link.stderr_to, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError:  # the log cannot be opened: dropped, never the dashboard's terminal
            fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 2)  # C code writes to the descriptor, not to sys.stderr
        os.close(fd)
        from monitor.logs import log_to_stderr
        from monitor.safe_text import SafeStream

        sys.stderr = SafeStream(sys.stderr)  # tracebacks and records through the safe-text rule
        log_to_stderr()
    start_watching(link.parent)


def freeze_heap() -> None:
    """For a worker once its modules are imported and warmed: the objects alive then (modules,
    trafilatura's and lxml's state, the stemmers) live as long as the process, so move them out of
    the cycle collector's reach. A full collection otherwise walked them all, ~50 ms each time, in
    the middle of a page; frozen, it walks what the pages left (and a forked child's copy-on-write
    pages stay shared)."""
    gc.collect()
    gc.freeze()


def cores_to_pin(count: int) -> list[int | None]:
    """The core each of `count` worker processes keeps to: core i for worker i when there is one
    worker per core this process may use (the extraction workers' default), else none (None: the
    scheduler places them). Linux only.

    Why: a worker's page alternates between trafilatura and its own threads' work (the fetch, the
    store) while the poll's process and other programs preempt it; moved to the other core at each
    preemption, it ran on cold caches. Only a pool that covers every core is pinned: fewer workers
    pinned to the first cores would crowd them there while other cores idle (several pools, a test
    run's parallel processes)."""
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if count < 2 or count != len(cores):
        return [None] * count
    return list(cores)


def pin_to_core(core: int | None) -> None:
    """Keep this process's threads, those running and those it starts from now on, on `core`.

    Threads that already run are moved too: a worker forked from a forkserver that another pool
    started (with other modules preloaded) imports its modules while its job is unpickled, before
    its first line runs, and a library may start threads then (OpenBLAS's pool, at numpy's import)."""
    if core is None:
        return
    try:
        os.sched_setaffinity(0, {core})
    except OSError:  # the core was taken away (a changed cpuset): leave placement to the scheduler
        return
    try:
        threads = os.listdir("/proc/self/task")
    except OSError:
        return
    for tid in threads:
        try:
            os.sched_setaffinity(int(tid), {core})
        except OSError:  # a thread that ended meanwhile
            pass


def lower_priority(step: int = 10) -> None:
    """For a worker that feeds a sequential loop in its parent: yield the CPU to that loop when the
    cores are contended (three runnable processes on two cores would otherwise preempt it)."""
    try:
        os.nice(step)
    except OSError:
        pass


def start_helper_processes() -> None:
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


def forkserver_pool(workers: int, initializer: Callable[[ParentLink], None], preload: list[str]) -> ProcessPoolExecutor:
    """A pool of forkserver workers; `initializer` gets the ParentLink (see worker_start).

    The preload applies when this is the process's first forkserver (it is started once)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(preload)
    start_helper_processes()
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer,
                               initargs=(ParentLink.here(),))


class BackgroundWorker:
    """One forkserver worker process at lower priority (unless `lower=False`: a worker whose result
    the loop waits for), started on first use and replaced when it died: a helper beside a
    sequential loop of the parent (clustering's features and writes)."""

    def __init__(self, preload: list[str], *, lower: bool = True) -> None:
        self._preload = preload
        self._initializer = _background if lower else worker_start
        self._pool: ProcessPoolExecutor | None = None
        self._guard = threading.Lock()
        atexit.register(self.shutdown)

    def pool(self) -> ProcessPoolExecutor:
        with self._guard:
            if self._pool is None or getattr(self._pool, "_broken", False):
                self._pool = forkserver_pool(1, self._initializer, self._preload)
            return self._pool

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        return self.pool().submit(fn, *args)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _background(link: ParentLink) -> None:
    worker_start(link)
    lower_priority()
