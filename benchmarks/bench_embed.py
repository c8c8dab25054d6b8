"""The embedding signal's cost: clustering rate against TF-IDF alone, model load, a corpus import.

- UCI dev headlines (../shared/datasets) clustered as `monitor eval clusters` does, with the
  default signal (embeddings on) and with TF-IDF alone, each in a fresh process, alternated
  (TF-IDF, embeddings, TF-IDF, embeddings) so machine noise falls on both; the best of each is
  compared (target: embeddings at least 25% of the TF-IDF rate). Each run's CPU time (its process
  and the clustering worker) is printed beside it: on a shared machine the wall-clock ratio moves
  with the other load (a run that uses both cores loses more to it), the CPU time much less.
  The clock (evaluate.cluster_items_explained) starts once this process has loaded what it loads
  once per process: the gazetteer and language detector on both sides and, with embeddings on, the
  model (printed below as the model load). Until 2026-11-27 the model loaded inside the default
  side's clock (embedder_for stopped loading it when it became lazy, the warm-up kept calling it):
  ~0.35 s CPU, with the imports of onnx and onnxruntime, counted once in that rate and once more as
  the model load, for nothing on the TF-IDF side. The clustering worker's start and its own loads
  (the gazetteer and detector; the model) stay inside both clocks, as in a first poll. The CPU
  time is of the whole clustering call, model load included.
- Model load (sha256 checks, graph rewrite, session) and the encoding rate on one core (wall and
  CPU time: on a shared machine the CPU rate is the steadier figure).
- `monitor import ../shared/corpus` into a new database with embeddings on: wall time and
  peak RSS (targets 1.5 s, 300 MB), beside the same import with embeddings off.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
UCI = SHARED / "datasets" / "uci-news-aggregator-prefix" / "uci-news-aggregator.dev.csv"


def cluster_rate(embedding: str) -> dict:
    """In this process: UCI dev clustered through assign_pending, as `monitor eval clusters`."""
    from monitor.cluster.evaluate import evaluate_clusters, read_uci
    from monitor.cluster_settings import ClusterSettings

    items = read_uci(UCI)
    cpu = _tree_cpu()
    result = evaluate_clusters(items, ClusterSettings(embedding=embedding))
    return {"articles_per_s": result["articles_per_s"], "b3_f1": result["b3_f1"], "cpu_s": round(_tree_cpu() - cpu, 2)}


def _tree_cpu() -> float:
    """CPU seconds of this process and its live descendants (the forkserver and the clustering worker)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # ppid, utime + stime
    mine, ticks = {os.getpid()}, 0
    for _ in range(4):  # this process, the forkserver, its worker
        mine |= {pid for pid, (parent, _) in stats.items() if parent in mine}
    ticks = sum(stats[pid][1] for pid in mine if pid in stats)
    return ticks / os.sysconf("SC_CLK_TCK")


def encoder() -> dict:
    """In this process: model load, then headlines per second on one core."""
    from monitor.cluster import embed
    from monitor.cluster.evaluate import read_uci

    titles = [item.text for item in read_uci(UCI)][:1000]
    started = time.perf_counter()
    embed.encode(titles[:1])
    load = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    embed.encode(titles)
    return {"load_s": round(load, 3), "headlines_per_s": round(len(titles) / (time.perf_counter() - started), 1),
            "headlines_per_cpu_s": round(len(titles) / (time.process_time() - cpu), 1)}


def _child(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_embed", *args], capture_output=True, text=True,
                          check=True, cwd=REPO)
    return json.loads(done.stdout.strip().splitlines()[-1])


def corpus_import(embedding: str) -> dict:
    """`monitor import` of the shared corpus into a new database, as a user runs it."""
    with tempfile.TemporaryDirectory(prefix="bench-embed-") as tmp:
        config = Path(tmp) / "feeds.toml"
        config.write_text(f'[cluster]\nembedding = "{embedding}"\n', encoding="utf-8")
        started = time.perf_counter()
        child = subprocess.Popen([str(Path(sys.executable).parent / "monitor"), "--config", str(config), "--db",
                                  str(Path(tmp) / "monitor.db"), "import", str(SHARED / "corpus")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
        # wait4 gives this child's own peak (RUSAGE_CHILDREN keeps the largest child so far, here the
        # earlier embedding runs).
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"monitor import exited {os.waitstatus_to_exitcode(status)}")
    return {"wall_s": round(wall, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024)}


def _load() -> str:
    return "load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    print(f"before: {_load()} (2 cores shared: the ratio, measured in this run, is the figure to quote)", flush=True)
    runs: dict[str, list[dict]] = {"off": [], "on": []}
    for embedding in ("off", "on", "off", "on"):
        runs[embedding].append(_child(["--cluster", embedding]))
    tfidf = max(r["articles_per_s"] for r in runs["off"])
    default = max(r["articles_per_s"] for r in runs["on"])
    print(f"UCI dev headlines ({len(runs['on'])} runs each, best): default signal (TF-IDF + embedding) "
          f"{default:.1f} articles/s (B3 F1 {runs['on'][0]['b3_f1']}); TF-IDF only {tfidf:.1f} articles/s "
          f"(B3 F1 {runs['off'][0]['b3_f1']}); ratio {default / tfidf:.2f} (target >= 0.25)", flush=True)
    cpu_on, cpu_off = min(r["cpu_s"] for r in runs["on"]), min(r["cpu_s"] for r in runs["off"])
    print(f"CPU time of the clustering (process and worker, least of each): default signal {cpu_on:.2f} s, TF-IDF only "
          f"{cpu_off:.2f} s; TF-IDF / default {cpu_off / cpu_on:.2f}", flush=True)
    e = _child(["--encoder"])
    print(f"model load {e['load_s']:.2f} s; encoding {e['headlines_per_s']:.0f} headlines/s on one core "
          f"({e['headlines_per_cpu_s']:.0f} per CPU second)", flush=True)
    on = corpus_import("on")
    off = corpus_import("off")
    print(f"monitor import ../shared/corpus, new database: embeddings on {on['wall_s']:.2f} s, peak RSS "
          f"{on['peak_rss_mb']} MB (targets < 1.5 s, < 300 MB); embeddings off {off['wall_s']:.2f} s, {off['peak_rss_mb']} MB", flush=True)
    print(f"after: {_load()}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--cluster"]:
        print(json.dumps(cluster_rate(sys.argv[2])))
    elif sys.argv[1:2] == ["--encoder"]:
        print(json.dumps(encoder()))
    else:
        main()
