"""The private APIs of Textual, concurrent.futures and sqlite-utils that the package leans on.

Each is checked for the behaviour the package needs, so an upgrade that renames or changes one
fails here, by name, rather than as a slow dashboard or a pool that is never replaced.
"""
from __future__ import annotations

import inspect
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pytest
from sqlite_utils.migrations import Migrations
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget

from monitor.processes import BackgroundWorker
from monitor.store.schema import MIGRATION_SETS
from monitor.tui.widgets.scrolling import set_virtual_size


def test_textual_scroll_update_exists_with_the_signature_set_virtual_size_calls():
    assert list(inspect.signature(Widget._scroll_update).parameters) == ["self", "virtual_size"]


class _Tall(ScrollView):
    DEFAULT_CSS = "_Tall { height: 10; }"


class _ScrollApp(App[None]):
    def compose(self) -> ComposeResult:
        yield _Tall()


async def test_set_virtual_size_updates_the_scrollbar_without_a_layout():
    app = _ScrollApp()
    async with app.run_test(size=(40, 20)) as pilot:
        view = app.query_one(_Tall)
        set_virtual_size(view, Size(30, 200))
        await pilot.pause()
        assert view.virtual_size == Size(30, 200)
        assert view.show_vertical_scrollbar
        assert view.vertical_scrollbar.window_virtual_size == 200
        view.scroll_to(y=150, animate=False)
        await pilot.pause()
        assert view.scroll_y > 0  # the new length is scrollable


def _exit_at_once() -> None:
    os._exit(3)


def test_process_pool_marks_itself_broken_where_background_worker_looks():
    """BackgroundWorker replaces a pool whose `_broken` is set (a worker died)."""
    worker = BackgroundWorker(preload=[])
    try:
        pool = worker.pool()
        assert pool._broken is False
        with pytest.raises(BrokenProcessPool):
            worker.submit(_exit_at_once).result(timeout=60)
        assert pool._broken
        assert worker.pool() is not pool  # replaced
        assert isinstance(worker.pool(), ProcessPoolExecutor)
    finally:
        worker.shutdown()


def test_sqlite_utils_migrations_keep_their_steps_where_the_store_test_reads_them():
    for migration_set in MIGRATION_SETS:
        assert isinstance(migration_set, Migrations)
        steps = migration_set._migrations
        assert steps and all(isinstance(step.name, str) for step in steps)


def test_httpx_transports_send_through_the_pool_the_guarded_transports_set():
    """monitor.ingest.transport hands httpx's HTTPTransport/AsyncHTTPTransport its own httpcore pool
    (`_pool`, to give it a network backend): its backend must see every connection."""
    import asyncio

    import httpx

    from monitor.ingest.deadline import request_deadline
    from monitor.ingest.transport import DEADLINE_PASSED, AsyncGuardedTransport, GuardedTransport

    limits = httpx.Limits(max_connections=1)
    with httpx.Client(transport=GuardedTransport(limits)) as client, request_deadline(0):
        with pytest.raises(httpx.ConnectTimeout, match=DEADLINE_PASSED):
            client.get("http://127.0.0.1:9/")

    async def fetch() -> None:
        async with httpx.AsyncClient(transport=AsyncGuardedTransport(limits)) as client:
            with request_deadline(0), pytest.raises(httpx.ConnectTimeout, match=DEADLINE_PASSED):
                await client.get("http://127.0.0.1:9/")

    asyncio.run(fetch())
