"""The collector pause around a batch's decisions (cluster/gc_pause.py): off inside, restored after."""
from __future__ import annotations

import gc
import threading

import pytest

from monitor.cluster.gc_pause import collector_paused


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_paused_inside_and_restored_after_even_on_error():
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a batch fails")
    assert gc.isenabled()


def test_nested_pauses_restore_only_at_the_outermost():
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled():
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_overlapping_threads_leave_it_on_only_when_the_last_ends():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with collector_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with collector_paused():
            second_in.set()
            first_out.wait(5)
            seen["after the first ended"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"after the first ended": False}
    assert gc.isenabled()


def test_a_backlog_run_is_never_collected_and_leaves_the_collector_on(db):
    """Three batches of UCI dev headlines (../shared) through assign_pending on a SQLite file, with
    the feature worker and the writer process: no collection in this process while the run is under
    way (between batches too: results unpickled, rows read), the collector on after it."""
    from monitor.cluster.assign import BATCH, assign_pending
    from monitor.cluster.evaluate import read_uci, store_items

    from tests.conftest import shared_path

    from .conftest import LEXICAL

    items = read_uci(shared_path("datasets", "uci-news-aggregator-prefix", "uci-news-aggregator.dev.csv"))
    store_items(db, items[:BATCH * 2 + 200])
    collections: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        made = assign_pending(db, LEXICAL)
    finally:
        gc.callbacks.remove(count)
    assert len(made) == BATCH * 2 + 200
    # At most one: when the collector resumes after the run it walks the run's survivors once.
    # Paused only while each batch was decided, this run saw 245 (gen 0, 1 and 2).
    assert len(collections) <= 1
    assert gc.isenabled()
