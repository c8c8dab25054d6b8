"""Polling 1,000 synthetic feeds of 20 items from the local newsroom: first poll, unchanged re-poll.

The newsroom runs in its own process (as a real server would). Baseline, same run: the
same 1,000 feed URLs fetched with a bare httpx client at the same concurrency, nothing
parsed or stored, so the ratio shows what polling adds on top of HTTP itself.
Target: the unchanged re-poll under 5 s.

Clustering is left out (bench_cluster measures it): poll_once(..., cluster=False).
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from monitor.config import Config, FeedConfig, PollConfig
from monitor.ingest.poller import poll_once

FEEDS, ITEMS = 1000, 20
REPO = Path(__file__).resolve().parent.parent


def start_newsroom() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "tests.support.newsroom"], cwd=REPO, stdout=subprocess.PIPE,
                               text=True)
    line = process.stdout.readline()  # "local newsroom at http://127.0.0.1:PORT (...)"
    return process, line.split(" at ", 1)[1].split()[0]


async def bare_fetch(urls: list[str], poll: PollConfig) -> None:
    limits = httpx.Limits(max_connections=poll.per_host)
    async with httpx.AsyncClient(limits=limits) as client:
        gate = asyncio.Semaphore(poll.per_host)

        async def one(url: str) -> None:
            async with gate:
                (await client.get(url)).raise_for_status()

        await asyncio.gather(*(one(u) for u in urls))


def run(poll: PollConfig, label: str, base: str) -> None:
    urls = [f"{base}/synth/{n}.xml?items={ITEMS}" for n in range(FEEDS)]
    config = Config(feeds=tuple(FeedConfig(f"synthetic {n}", u) for n, u in enumerate(urls)), poll=poll)
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        started = time.perf_counter()
        first = poll_once(db_path, config, cluster=False)  # ingestion alone: bench_cluster measures clustering
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        again = poll_once(db_path, config, force=True, cluster=False)
        again_s = time.perf_counter() - started
    started = time.perf_counter()
    asyncio.run(bare_fetch(urls, poll))
    bare_s = time.perf_counter() - started
    pages = "with" if poll.fetch_pages else "without"
    print(f"[{label}] first poll ({pages} article pages): {FEEDS} feeds, {first.new_articles} new articles "
          f"in {first_s:.2f} s ({first.new_articles / first_s:.0f} articles/s); failed feeds {first.failed}")
    print(f"[{label}] unchanged re-poll: {again.not_modified}/{again.feeds_polled} not modified, "
          f"{again.new_articles} new, in {again_s:.2f} s (target < 5 s: {'met' if again_s < 5 else 'NOT met'})")
    print(f"[{label}] baseline, bare httpx GET of the {FEEDS} feeds (per-host limit {poll.per_host}): "
          f"{bare_s:.2f} s; re-poll / baseline = {again_s / bare_s:.2f}")


def main() -> None:
    process, base = start_newsroom()
    try:
        print(f"cores: {os.cpu_count()}; newsroom at {base} in its own process")
        run(PollConfig(fetch_pages=True), "defaults", base)
    finally:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    main()
