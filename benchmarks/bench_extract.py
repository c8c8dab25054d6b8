"""Extraction throughput through the whole pipeline beside trafilatura alone, same pages, same run.

Pipeline: `poll_once` on 5 feeds, each linking to the 80 fixture pages under its own URLs
(400 article URLs; one feed per copy, as a poll sees several sites), served by the local
newsroom in its own process: feed fetch and parse, page fetch, charset detection and
trafilatura in the extraction workers, one transaction per article. (One feed of all 400
items costs ~3% more wall time: its parse, 0.15 s, runs before any page can start.)
The workers are warmed by a small poll first (the dashboard keeps them; a cron run pays
their start once, reported).
Baselines on the same 400 bodies: trafilatura.extract() in this process on one core (the
issue's target: pipeline >= 0.8 x that x cores), and extract() in a plain pool of as many
processes as cores, which shows what the cores actually deliver while the machine is shared.
CPU seconds per page (all processes of the pipeline) do not depend on other load.
Clustering is left out (bench_cluster measures it).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import trafilatura

from benchmarks.bench_poll import start_newsroom
from monitor.config import Config, FeedConfig, PollConfig
from monitor.ingest import workers
from monitor.ingest.poller import poll_once
from tests.support.newsroom import fixture_pages

COPIES = 5


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _extract_file(path: str) -> int:
    return len(trafilatura.extract(Path(path).read_bytes()) or "")


def _pipeline(cores: int) -> tuple[Any, float, dict[str, float]]:
    """One measured poll of the 400 pages (after a small warm-up poll): (summary, seconds, CPU by process)."""
    process, base = start_newsroom()
    try:
        with tempfile.TemporaryDirectory() as folder:
            warm = Config(feeds=(FeedConfig("warm", f"{base}/extraction/feed.xml?limit=2"),), poll=PollConfig())
            started = time.perf_counter()
            poll_once(Path(folder) / "warm.db", warm, cluster=False)
            warm_s = time.perf_counter() - started
            pids = [*workers.get_workers(cores).pids(), process.pid]
            cpu_before = {pid: _cpu(pid) for pid in pids}
            main_before = time.process_time()
            feeds = tuple(FeedConfig(f"fixtures {n}", f"{base}/extraction/feed.xml?copy_from={n}&copies=1")
                          for n in range(COPIES))
            config = Config(feeds=feeds, poll=PollConfig())
            started = time.perf_counter()
            summary = poll_once(Path(folder) / "bench.db", config, cluster=False)
            pipeline_s = time.perf_counter() - started
            split = {"main": time.process_time() - main_before,
                     "workers": sum(_cpu(p) - cpu_before[p] for p in pids if p != process.pid),
                     "newsroom": _cpu(process.pid) - cpu_before[process.pid], "warm_s": warm_s}
    finally:
        process.terminate()
        process.wait()
    return summary, pipeline_s, split


def pipeline_cpu_json() -> None:
    """The pipeline alone, in a process of its own (so MONITOR_FIGURES reaches its workers): one JSON line."""
    summary, seconds, split = _pipeline(workers.worker_count(0))
    pages = summary.new_articles
    print(json.dumps({"pages": pages, "seconds": seconds,
                      "cpu_ms": 1000 * (split["main"] + split["workers"] + split["newsroom"]) / pages,
                      "workers_ms": 1000 * split["workers"] / pages}))


def _figures_cost(pairs: int = 3) -> None:
    """CPU per page with and without figure extraction, the same pipeline in fresh processes, alternating."""
    runs: dict[str, list[dict]] = {"off": [], "on": []}
    for _ in range(pairs):
        for mode in ("off", "on"):
            env = {**os.environ, "MONITOR_FIGURES": mode}
            out = subprocess.run([sys.executable, "-c", "import benchmarks.bench_extract as b; b.pipeline_cpu_json()"],
                                 env=env, capture_output=True, text=True, check=True).stdout
            runs[mode].append(json.loads(out.strip().splitlines()[-1]))
    median = lambda mode, key: statistics.median(r[key] for r in runs[mode])  # noqa: E731
    off, on = median("off", "cpu_ms"), median("on", "cpu_ms")
    print(f"figure extraction (median of {pairs} runs each, alternating, fresh processes): CPU per page without "
          f"{off:.1f} ms (workers {median('off', 'workers_ms'):.1f}), with {on:.1f} ms "
          f"(workers {median('on', 'workers_ms'):.1f}); added {100 * (on - off) / off:+.1f}% "
          f"(target < 10%: {'met' if on - off < 0.1 * off else 'NOT met'}); "
          f"rates without {statistics.median(r['pages'] / r['seconds'] for r in runs['off']):.1f}, "
          f"with {statistics.median(r['pages'] / r['seconds'] for r in runs['on']):.1f} pages/s")


def _figures_alone(texts: list[tuple[str, str]]) -> None:
    from monitor.text.figures import extract_figures

    extract_figures(*texts[0], "en")
    started = time.process_time()
    found = sum(len(extract_figures(title, text, "en")) for title, text in texts)
    cost = time.process_time() - started
    print(f"figure extraction alone, one core: {1000 * cost / len(texts):.2f} ms CPU per page "
          f"({found} figures in {len(texts)} pages, {sum(len(t) for _, t in texts) / len(texts) / 1000:.1f} kB of text each)")


def main() -> None:
    pages = fixture_pages()
    bodies = [p.html_path.read_bytes() for p in pages] * COPIES
    cores = workers.worker_count(0)
    summary, pipeline_s, split = _pipeline(cores)
    warm_s = split.pop("warm_s")
    pipeline_cpu = sum(split.values())
    trafilatura.extract(bodies[0])  # warm, as the pipeline's workers are: the first call builds lazy state
    started, cpu_started = time.perf_counter(), time.process_time()
    for body in bodies:
        trafilatura.extract(body)
    alone_s, alone_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    # The pipeline's own trafilatura call (decoded text in, no comments, no metadata) on one core:
    # the ratio against it is the pipeline's overhead alone.
    from monitor.ingest.extract import extract_page

    started = time.perf_counter()
    extracted = [extract_page("http://127.0.0.1/", body, "text/html", False) for body in bodies]
    same_s = time.perf_counter() - started
    paths = [str(p.html_path) for p in pages] * COPIES
    with ProcessPoolExecutor(cores, mp_context=multiprocessing.get_context("forkserver")) as pool:
        list(pool.map(_extract_file, paths[:cores]))  # start the workers before timing
        started = time.perf_counter()
        list(pool.map(_extract_file, paths, chunksize=4))
        pooled_s = time.perf_counter() - started

    pipeline_rate, alone_rate, pooled_rate = summary.new_articles / pipeline_s, len(bodies) / alone_s, len(bodies) / pooled_s
    print(f"cores: {cores}; load average {os.getloadavg()[0]:.1f}; pages: {len(bodies)} "
          f"({len(pages)} fixture pages x {COPIES}), {sum(map(len, bodies)) / 1e6:.0f} MB of HTML")
    print(f"pipeline (HTTP + charset + trafilatura in {cores} workers + SQLite): {summary.new_articles} articles in "
          f"{pipeline_s:.2f} s = {pipeline_rate:.1f} pages/s; extraction failures {summary.extraction_failures}; "
          f"workers' warm-up poll (cold start) {warm_s:.2f} s")
    print(f"trafilatura alone, one core: {alone_s:.2f} s = {alone_rate:.1f} pages/s; "
          f"in a plain pool of {cores}: {pooled_s:.2f} s = {pooled_rate:.1f} pages/s")
    print(f"CPU per page: pipeline {1000 * pipeline_cpu / summary.new_articles:.1f} ms (all its processes, newsroom "
          f"included) vs trafilatura alone {1000 * alone_cpu / len(bodies):.1f} ms; pipeline split: "
          + ", ".join(f"{k} {1000 * v / summary.new_articles:.1f} ms" for k, v in split.items()))
    same_rate = len(bodies) / same_s
    ratio = pipeline_rate / (alone_rate * cores)
    strict = pipeline_rate / (same_rate * cores)
    print(f"the pipeline's own extraction call alone, one core: {same_s:.2f} s = {same_rate:.1f} pages/s")
    print(f"ratio pipeline / (trafilatura defaults x {cores} cores) = {ratio:.2f} (target >= 0.80: "
          f"{'met' if ratio >= 0.8 else 'NOT met'}); against the pipeline's own call x {cores} cores = {strict:.2f} "
          f"({'met' if strict >= 0.8 else 'NOT met'}); pipeline / plain pool of {cores} = {pipeline_rate / pooled_rate:.2f}")
    _figures_alone([(p.title or "", p.text or "") for p in extracted])
    _figures_cost()


if __name__ == "__main__":
    main()
