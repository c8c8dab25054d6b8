"""A fair, O(1) async semaphore.

asyncio.Semaphore.locked() scans every waiter (CPython 3.11+), and acquire() calls it:
with 20,000 article fetches queued on one host that made a poll cycle quadratic and
CPU-bound. Gate hands a released slot straight to the oldest waiter instead.
"""
from __future__ import annotations

import asyncio
from collections import deque


class Gate:
    def __init__(self, slots: int):
        self._free = slots
        self._waiters: deque[asyncio.Future] = deque()

    async def __aenter__(self) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release()  # a slot was handed over just as we were cancelled: pass it on
            raise

    async def __aexit__(self, *exc: object) -> None:
        self._release()

    def _release(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1
