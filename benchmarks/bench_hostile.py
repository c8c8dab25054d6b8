"""Hostile sizes (#10): parsing a 100,000-item feed, and `monitor feeds` over 2,000 feeds / 100k articles.

Parse: parse_feed on 10k- and 100k-item RSS documents, without the item cap (every entry becomes
an item) and with the default cap; linear means the 100k/10k time ratio stays near 10 (the
quadratic version took 46 s at 40k). Baseline, same run: feedparser.parse alone on the same bytes.

Feed health: `monitor feeds --json` (the whole command, a process of its own) on 2,000 feeds
holding 100,000 articles; target under 1 s. Baselines, same run: the same command on the same
2,000 feeds with no articles, and the old query (two counts per feed, each reading every
article) timed on 20 of the feeds and scaled to 2,000.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import feedparser

from monitor.config import PollConfig
from monitor.ingest.parse import parse_feed
from monitor.store import open_db, write_transaction
from tests.support.newsroom import rss_feed

REPO = Path(__file__).resolve().parent.parent
FEEDS, ARTICLES = 2000, 100_000


def big_feed(items: int) -> bytes:
    return rss_feed("big", [{"title": f"Story {n} on the grain corridor", "link": f"http://127.0.0.1:9/s/{n}",
                             "guid": f"g-{n}", "pubDate": f"Sat, 21 Nov 2026 {n // 3600 % 24:02d}:{n // 60 % 60:02d}:"
                                                         f"{n % 60:02d} GMT",
                             "description": f"Officials said item {n} went ahead."} for n in range(items)])


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def bench_parse() -> None:
    figures = {}
    for items in (10_000, 100_000):
        body = big_feed(items)
        alone, _ = timed(feedparser.parse, body, sanitize_html=False, resolve_relative_uris=False)
        whole, parsed = timed(parse_feed, body, {"content-type": "application/rss+xml"}, "http://127.0.0.1:9/f",
                              1, "2026-11-26T00:00:00Z", None)
        capped, capped_parsed = timed(parse_feed, body, {"content-type": "application/rss+xml"},
                                      "http://127.0.0.1:9/f", 1, "2026-11-26T00:00:00Z", PollConfig().max_items)
        figures[items] = whole
        print(f"parse {items:,}-item feed ({len(body) / 1e6:.1f} MB): parse_feed {whole:.2f} s "
              f"({len(parsed.items):,} items, {items / whole:,.0f} items/s); with the default cap "  # type: ignore[attr-defined]
              f"{capped:.2f} s ({len(capped_parsed.items):,} items kept); feedparser alone {alone:.2f} s; "  # type: ignore[attr-defined]
              f"parse_feed / feedparser = {whole / alone:.2f}")
    ratio = figures[100_000] / figures[10_000]
    print(f"parse linearity: 100k / 10k time = {ratio:.1f} (linear ~10; quadratic would be ~100): "
          f"{'linear' if ratio < 20 else 'NOT linear'}")


def build_health_db(path: Path, articles: int) -> None:
    db = open_db(path)
    with write_transaction(db):
        db.conn.executemany("INSERT INTO feeds (name, url, tags, enabled, source, added_at, in_config) "
                            "VALUES (?, ?, '[]', 1, 'config', '2026-11-26T00:00:00Z', 1)",
                            [(f"feed {n}", f"http://127.0.0.1:9/feed/{n}.xml") for n in range(FEEDS)])
    for start in range(0, articles, 10_000):
        with write_transaction(db):
            db.conn.executemany(
                "INSERT INTO articles (origin, title, text, content_hash, url, guid, feed_id, extraction_status, "
                "extraction_error, created_at) VALUES ('feed', ?, 'text', ?, ?, ?, ?, 'page', ?, "
                "'2026-11-26T00:00:00Z')",
                [(f"t{n}", f"h{n}", f"http://127.0.0.1:9/a/{n}", f"g{n}", n % FEEDS + 1,
                  "page: HTTP 404" if n % 17 == 0 else None) for n in range(start, min(start + 10_000, articles))])
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def write_config(path: Path) -> None:
    path.write_text("".join(f'[[feeds]]\nname = "feed {n}"\nurl = "http://127.0.0.1:9/feed/{n}.xml"\n\n'
                            for n in range(FEEDS)), encoding="utf-8")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def monitor_feeds(db: Path, config: Path) -> tuple[float, float, int]:
    """Best of three runs of the whole command: (wall seconds, CPU seconds of that process, feeds listed).
    On a shared machine the CPU time is the steadier figure."""
    best, best_cpu, listed = float("inf"), float("inf"), 0
    for _ in range(3):
        started, cpu = time.perf_counter(), _children_cpu()
        done = subprocess.run([sys.executable, "-m", "monitor", "--db", str(db), "--config", str(config), "feeds",
                               "--json"], capture_output=True, text=True, cwd=REPO, check=True)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, _children_cpu() - cpu)
        listed = len(json.loads(done.stdout))
    return best, best_cpu, listed


OLD_QUERY = """SELECT f.id, (SELECT COUNT(*) FROM articles a WHERE a.feed_id = f.id),
    (SELECT COUNT(*) FROM articles a WHERE a.feed_id = f.id AND a.extraction_error IS NOT NULL)
    FROM feeds f WHERE f.id <= ?"""


def bench_health() -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "feeds.toml"
        write_config(config)
        full, empty = Path(folder) / "full.db", Path(folder) / "empty.db"
        build_s, _ = timed(build_health_db, full, ARTICLES)
        build_health_db(empty, 0)
        full_s, full_cpu, listed = monitor_feeds(full, config)
        empty_s, empty_cpu, _ = monitor_feeds(empty, config)
        db = open_db(full)
        query_s, _ = timed(lambda: __import__("monitor.store.feeds", fromlist=["list_feeds"]).list_feeds(db))
        old_s, _ = timed(lambda: db.conn.execute(OLD_QUERY, [20]).fetchall())
        db.close()
    print(f"feed health: {FEEDS:,} feeds / {ARTICLES:,} articles (built in {build_s:.1f} s)")
    print(f"`monitor feeds --json`: {full_s:.2f} s wall, {full_cpu:.2f} s CPU for {listed:,} feeds (target < 1 s: "
          f"{'met' if full_s < 1 else 'NOT met'} wall, {'met' if full_cpu < 1 else 'NOT met'} CPU); the same with no "
          f"articles {empty_s:.2f} s wall, {empty_cpu:.2f} s CPU; the articles add {full_s - empty_s:+.2f} s wall "
          f"(ratio {full_s / empty_s:.2f}), {full_cpu - empty_cpu:+.2f} s CPU")
    print(f"health query alone: {query_s * 1000:.0f} ms; the old per-feed counts on 20 feeds {old_s:.2f} s, "
          f"scaled to {FEEDS:,} feeds {old_s * FEEDS / 20:.0f} s ({old_s * FEEDS / 20 / query_s:,.0f}x the new query)")


def main() -> None:
    bench_parse()
    bench_health()


if __name__ == "__main__":
    main()
