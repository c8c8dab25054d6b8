"""Clustering throughput, per-article assignment time and memory at 10k, 100k and 200k articles.

The stream replays the labelled datasets of ../shared/datasets (UCI headlines, Google News
titles, SemEval article texts) in rounds, each round shifted past the time window so that a
replayed text is a new story, not a copy. Articles go into a real SQLite file and through
assign_pending, the path ingestion uses, with the lexical signal (embeddings off: the
embedding model alone encodes a few hundred headlines per second on 2 cores, which the
report shows at 10k). Each size runs in its own process so its peak memory is its own.
The baseline is the naive pass: rapidfuzz token_set_ratio of each article against every
earlier article of the window, capped in time.
"""
from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (10_000, 100_000, 200_000)
STEP_SECONDS = 60  # 1,440 articles a day (a monitor of ~100 feeds); a round of ~15k texts outlasts the window
NAIVE_CAP_SECONDS = 20.0
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


def pool() -> list[tuple[str, str]]:
    """(title, text) of every dataset article, in a fixed order."""
    from monitor.cluster.evaluate import read_gnews, read_uci
    from monitor.cluster.pairs import _split, read_pairs

    uci = [(i.text, "") for i in read_uci(SHARED / "uci-news-aggregator-prefix" / "uci-news-aggregator.dev.csv")]
    gnews = [(i.text, "") for i in read_gnews(SHARED / "googlenews-yin2014" / "News-T")]
    full = [_split(t) for p in read_pairs(SHARED / "semeval2022-task8-hfl-sample" / "training_set.csv")
            for t in (p.text1, p.text2)]
    # Interleave the sources, each in its own order, so every slice of the stream has the same
    # mix of headlines and full texts (10k and 200k then measure the same kind of work).
    keyed = [((i + 0.5) / len(source), n, item) for n, source in enumerate((uci, gnews, full))
             for i, item in enumerate(source)]
    return [item for _, _, item in sorted(keyed, key=lambda k: (k[0], k[1]))]


def stream(n: int):
    from datetime import datetime, timedelta, timezone

    texts = pool()
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for i in range(n):
        title, text = texts[i % len(texts)]
        yield i, title, text, (start + timedelta(seconds=i * STEP_SECONDS)).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_size(n: int, embedding: str = "off") -> dict:
    """One size in this process: insert, then time assign_pending and every engine decision."""
    from monitor.cluster import engine as engine_module
    from monitor.cluster.assign import assign_pending
    from monitor.cluster_settings import ClusterSettings
    from monitor.models import Article
    from monitor.store import open_db, write_transaction
    from monitor.store.articles import content_hash, insert_article

    timings: list[float] = []
    original = engine_module.Engine.assign

    def timed(self, doc, match, *rest):
        started = time.perf_counter()
        try:
            return original(self, doc, match, *rest)
        finally:
            timings.append(time.perf_counter() - started)

    engine_module.Engine.assign = timed
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        db = open_db(Path(tmp) / "bench.db")
        with write_transaction(db):
            for i, title, text, at in stream(n):
                insert_article(db, Article(origin="feed", title=title, text=text, url=f"bench:{i}",
                                           content_hash=content_hash(title, f"{text}{i}"), published_at=at,
                                           source_host=f"host{i % 97}.example"))
        started = time.perf_counter()
        made = assign_pending(db, ClusterSettings(embedding=embedding))
        elapsed = time.perf_counter() - started
        clusters = db.conn.execute("SELECT count(*) FROM clusters WHERE merged_into IS NULL AND size > 0").fetchone()[0]
        db.close()
    ordered = sorted(timings)
    tail = ordered[len(ordered) // 2:]  # the second half of the stream: the index is full by then
    return {"articles": len(made), "seconds": round(elapsed, 2), "articles_per_s": round(len(made) / elapsed, 1),
            "decision_median_ms": round(statistics.median(ordered) * 1000, 3),
            "decision_p99_ms": round(ordered[int(len(ordered) * 0.99)] * 1000, 3),
            "per_article_ms": round(elapsed / len(made) * 1000, 3),
            "tail_p99_ms": round(sorted(tail)[int(len(tail) * 0.99)] * 1000, 3),
            "clusters": clusters, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def naive(n: int) -> dict:
    """Each article against every earlier article within the window, rapidfuzz token_set_ratio."""
    from rapidfuzz import fuzz

    from monitor.text.normalize import match_text

    kept: list[tuple[int, str]] = []
    done = 0
    started = time.perf_counter()
    window = 72 * 3600 // STEP_SECONDS
    for i, title, text, _ in stream(n):
        probe = match_text(title, text)[:1000]
        kept = kept[-window:]
        for _, other in kept:
            fuzz.token_set_ratio(probe, other)
        kept.append((i, probe))
        done += 1
        if time.perf_counter() - started > NAIVE_CAP_SECONDS:
            break
    elapsed = time.perf_counter() - started
    return {"articles": done, "finished": done == n, "seconds": round(elapsed, 2),
            "articles_per_s": round(done / elapsed, 1)}


def _subprocess(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_cluster", *args], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    results = {}
    for n in SIZES:
        results[n] = r = _subprocess(["--size", str(n)])
        b = _subprocess(["--naive", str(n)])
        print(f"{n:>7} articles  {r['articles_per_s']:>8.1f} articles/s  decision median {r['decision_median_ms']:.3f} ms"
              f"  p99 {r['decision_p99_ms']:.3f} ms  (whole path {r['per_article_ms']:.3f} ms/article)"
              f"  clusters {r['clusters']}  peak RSS {r['peak_rss_mb']} MB", flush=True)
        state = "finished" if b["finished"] else f"stopped after {NAIVE_CAP_SECONDS:.0f} s at {b['articles']} articles"
        print(f"{'':>7} naive rapidfuzz pass: {b['articles_per_s']:>8.1f} articles/s ({state}); "
              f"clusterer/naive throughput ratio {r['articles_per_s'] / b['articles_per_s']:.1f}x", flush=True)
    small, large = results[SIZES[0]], results[SIZES[-1]]
    print(f"p99 ratio {SIZES[-1]} vs {SIZES[0]}: {large['decision_p99_ms'] / small['decision_p99_ms']:.2f}x "
          f"(target <= 2x); throughput at 100k: {results[100_000]['articles_per_s']:.0f}/s (target >= 2000/s); "
          f"peak RSS at 200k: {large['peak_rss_mb']} MB (target < 500 MB)", flush=True)
    try:
        e = _subprocess(["--size", "10000", "--embedding", "on"])
        print(f"default signal (tfidf+embedding, the learned event similarity as shipped), 10k articles: "
              f"{e['articles_per_s']:.1f} articles/s beside {small['articles_per_s']:.1f} on TF-IDF alone, decision p99 "
              f"{e['decision_p99_ms']:.3f} ms, peak RSS {e['peak_rss_mb']} MB", flush=True)
    except subprocess.CalledProcessError as exc:
        print(f"with embeddings: not measured ({exc.stderr.strip().splitlines()[-1:]})", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--size"]:
        embedding = args[3] if args[2:3] == ["--embedding"] else "off"
        print(json.dumps(run_size(int(args[1]), embedding)))
    elif args[:1] == ["--naive"]:
        print(json.dumps(naive(int(args[1]))))
    else:
        main()
