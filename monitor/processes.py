"""What every process pool of the package needs: forkserver workers that die with their parent.

forkserver, not fork: the parent may run threads (the dashboard) and holds the poll lock;
forked children would inherit both.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Callable


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


def forkserver_pool(workers: int, initializer: Callable[[int], None], preload: list[str]) -> ProcessPoolExecutor:
    """A pool of forkserver workers; `initializer` gets the parent's pid (see start_watching).

    The preload applies when this is the process's first forkserver (it is started once)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(preload)
    start_helper_processes()
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer,
                               initargs=(os.getpid(),))
