"""Extraction throughput through the whole pipeline beside trafilatura alone, same pages, same run.

Pipeline: `poll_once` on a feed of the 80 fixture pages served 5 times each (400 article
URLs) by the local newsroom in its own process: HTTP fetch, charset detection,
trafilatura in the process pool, one transaction per article. The process pool is warmed
by a small poll first (the dashboard keeps it; a cron run pays its start once, reported).
Baseline: trafilatura.extract() on the same 400 page bodies, in this process, one core.
Target: pipeline pages/s >= 0.8 x trafilatura pages/s x cores.
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import trafilatura

from benchmarks.bench_poll import start_newsroom
from monitor.config import Config, FeedConfig, PollConfig
from monitor.ingest.poller import poll_once
from monitor.ingest.workers import worker_count
from tests.support.newsroom import fixture_pages

COPIES = 5


def main() -> None:
    pages = fixture_pages()
    bodies = [p.html_path.read_bytes() for p in pages] * COPIES
    cores = worker_count(0)
    process, base = start_newsroom()
    try:
        poll = PollConfig()
        with tempfile.TemporaryDirectory() as folder:
            warm = Config(feeds=(FeedConfig("warm", f"{base}/extraction/feed.xml?limit=2"),), poll=poll)
            started = time.perf_counter()
            poll_once(Path(folder) / "warm.db", warm)
            warm_s = time.perf_counter() - started
            config = Config(feeds=(FeedConfig("fixtures", f"{base}/extraction/feed.xml?copies={COPIES}"),), poll=poll)
            started = time.perf_counter()
            summary = poll_once(Path(folder) / "bench.db", config)
            pipeline_s = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait()
    started = time.perf_counter()
    for body in bodies:
        trafilatura.extract(body)
    alone_s = time.perf_counter() - started

    pipeline_rate = summary.new_articles / pipeline_s
    alone_rate = len(bodies) / alone_s
    target = 0.8 * alone_rate * cores
    print(f"cores: {cores}; pages: {len(bodies)} ({len(pages)} fixture pages x {COPIES}), "
          f"{sum(map(len, bodies)) / 1e6:.0f} MB of HTML")
    print(f"pipeline (HTTP + charset + trafilatura in {cores} workers + SQLite): {summary.new_articles} articles "
          f"in {pipeline_s:.2f} s = {pipeline_rate:.1f} pages/s; extraction failures {summary.extraction_failures}")
    print(f"trafilatura alone, one core, same pages: {alone_s:.2f} s = {alone_rate:.1f} pages/s")
    print(f"ratio pipeline / (trafilatura x cores) = {pipeline_rate / (alone_rate * cores):.2f} "
          f"(target >= 0.80: {'met' if pipeline_rate >= target else 'NOT met'}); "
          f"pool warm-up poll (2 pages, cold start) {warm_s:.2f} s")


if __name__ == "__main__":
    main()
