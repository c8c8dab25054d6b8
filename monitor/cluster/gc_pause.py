"""The cyclic garbage collector paused while the clusterer runs: a run of batches, an engine rebuild.

Deciding a batch allocates many small containers that live on (each member's counts, the
events' sides and postings), and CPython's collector counts those allocations: every few
thousand it runs, and every tenth of its runs each ten more it walks older objects, up to the
whole engine (at 30,000 articles, 15 full collections took 2.7 s of a 32 s run on the
benchmark's stream). The clusterer frees its objects by reference counting, not by cycles.
Paused at first only while a batch was decided, it still ran between batches (the next batch's
features and the last write's result unpickled, rows read): 943 collections, 3.6 s of 51.6 s of
the run's CPU at 100,000 articles, which found 88 objects. So the whole run is paused (assign.py),
and an engine rebuilt from SQLite (state.py); cyclic garbage made meanwhile, by any thread, is
collected after it. Nothing decided depends on the collector, so the output is the same.

Threads share the collector (the dashboard decides in a worker while its own thread runs, the
batch writer stores in another): the first pause disables it and the last one to end restores
it as it was, so overlapping batches never leave it off.
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block (reentrant and shared across threads)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
