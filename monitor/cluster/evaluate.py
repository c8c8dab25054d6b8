"""Evaluation on labelled datasets, through the same assign_pending and settings as ingestion.

Articles go into a temporary SQLite database in dataset order (UCI: by timestamp, with it
as the publication time; Google News: file order, one day), then assign_pending clusters
them exactly as it clusters a feed. Pairs are scored with the same similarity signal.
Besides the partition scores, how many gold events were merged into another and how many split.
"""
from __future__ import annotations

import csv
import json
import math
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from monitor.cluster.assign import assign_pending
from monitor.cluster.embed import embedder_for
from monitor.cluster.eval_errors import crossings
from monitor.cluster.identity import identify
from monitor.cluster_settings import ClusterSettings
from monitor.models import Article, Assignment
from monitor.store import clusters as cluster_store, open_db, write_transaction
from monitor.store.articles import content_hash, insert_article
from monitor.timeutil import to_iso

csv.field_size_limit(1 << 30)


@dataclass(frozen=True)
class Item:
    text: str
    gold: str
    at: str | None = None


def read_uci(path: Path) -> list[Item]:
    items = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row.get("TIMESTAMP") or not row.get("STORY") or not row["TIMESTAMP"].isdigit():
                continue  # the prefix's cut-off last line
            moment = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, timezone.utc)
            items.append((int(row["TIMESTAMP"]), int(row.get("ID") or 0), Item(row["TITLE"], row["STORY"], to_iso(moment))))
    return [item for _, _, item in sorted(items, key=lambda x: (x[0], x[1]))]


def split_title(text: str) -> tuple[str, str]:
    """A labelled line's text as (title, body): ECB+ writes the title, a newline, then the body."""
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()


def read_gnews(path: Path) -> list[Item]:
    items = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    row = json.loads(line)
                except ValueError as exc:
                    raise ValueError(f"line {number}: not JSON ({getattr(exc, 'msg', exc)})") from None
                if not hasattr(row, "get"):  # a list, a number: not an object
                    raise ValueError(f"line {number}: not a JSON object")
                text = row.get("textCleaned", row.get("text", ""))
                items.append(Item(text, str(row.get("clusterNo", row.get("cluster")))))
    return items


def b_cubed(pred: list, gold: list) -> tuple[float, float, float]:
    pc, gc, both = Counter(pred), Counter(gold), Counter(zip(pred, gold))
    n = len(pred)
    precision = sum(c * c / pc[p] for (p, _), c in both.items()) / n
    recall = sum(c * c / gc[g] for (_, g), c in both.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pair_f1(pred: list, gold: list) -> float:
    pairs = lambda counts: sum(c * (c - 1) / 2 for c in counts.values())  # noqa: E731
    same_both = pairs(Counter(zip(pred, gold)))
    same_pred, same_gold = pairs(Counter(pred)), pairs(Counter(gold))
    if not same_both:
        return 0.0
    precision, recall = same_both / same_pred, same_both / same_gold
    return 2 * precision * recall / (precision + recall)


def nmi(pred: list, gold: list) -> float:
    """Normalized mutual information, arithmetic mean of the entropies (scikit-learn's default)."""
    n = len(pred)
    pc, gc, both = Counter(pred), Counter(gold), Counter(zip(pred, gold))
    entropy = lambda counts: -sum(c / n * math.log(c / n) for c in counts.values())  # noqa: E731
    mutual = sum(c / n * math.log(c * n / (pc[p] * gc[g])) for (p, g), c in both.items())
    h_pred, h_gold = entropy(pc), entropy(gc)
    if h_pred == h_gold == 0.0:
        return 1.0
    return max(mutual, 0.0) / ((h_pred + h_gold) / 2)


def ari(pred: list, gold: list) -> float:
    """Adjusted Rand index (Hubert and Arabie)."""
    pairs = lambda counts: sum(c * (c - 1) / 2 for c in counts.values())  # noqa: E731
    index, rows, cols = pairs(Counter(zip(pred, gold))), pairs(Counter(pred)), pairs(Counter(gold))
    total = len(pred) * (len(pred) - 1) / 2
    expected = rows * cols / total if total else 0.0
    top = (rows + cols) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def store_items(db, items: list[Item]) -> list[int | None]:
    """Store the items as feed articles, in order (the first line of an item's text is its title);
    each one's article id (None for a repeated text)."""
    with write_transaction(db):
        return [insert_article(db, Article(origin="feed", title=split_title(item.text)[0],
                                           text=split_title(item.text)[1], url=f"eval:{i}",
                                           content_hash=content_hash(item.text, f"{i}"), published_at=item.at,
                                           fetched_at=item.at)) for i, item in enumerate(items)]


def cluster_items(items: list[Item], settings: ClusterSettings) -> tuple[list[int], float]:
    """Cluster the items through a temporary database; (cluster id per item, articles/s)."""
    pred, rate, _ = cluster_items_explained(items, settings)
    return pred, rate


def cluster_items_explained(items: list[Item], settings: ClusterSettings
                            ) -> tuple[list[int], float, list[Assignment | None]]:
    """cluster_items, with each item's decision (its reason) in item order."""
    with tempfile.TemporaryDirectory(prefix="monitor-eval-") as tmp:
        db = open_db(Path(tmp) / "eval.db")
        ids = store_items(db, items)
        # The model (when on), the gazetteer and the language detector load before the clock starts, as
        # they do once per process: embedder_for itself loads nothing (the model loads on first use).
        encoder = embedder_for(settings)
        if encoder is not None:
            encoder(["Warm-up report from Kyiv"])
        identify("Warm-up report from Kyiv", "A short text in English to load the detector.")
        started = time.perf_counter()
        made = {a.article_id: a for a in assign_pending(db, settings)}
        elapsed = time.perf_counter() - started
        where = cluster_store.cluster_of_each(db)
        db.close()
    kept = [i for i in ids if i is not None]
    return ([where[i] for i in kept], len(items) / elapsed if elapsed else math.inf,
            [made.get(i) for i in kept])


def evaluate_clusters(items: list[Item], settings: ClusterSettings, *, explain_merged: bool = False) -> dict:
    """The partition scores; with `explain_merged`, also each merged pair of gold events with the
    join that first crossed them (`merged_events`, see eval_errors)."""
    pred, rate, made = cluster_items_explained(items, settings)
    gold = [item.gold for item in items]
    extra = {}
    if explain_merged:
        found = crossings(made, gold, [split_title(i.text)[0] for i in items], pred)
        extra = {"merged_events": [c.as_dict() for c in found]}
    precision, recall, f1 = b_cubed(pred, gold)
    return {"b3_precision": round(precision, 4), "b3_recall": round(recall, 4), "b3_f1": round(f1, 4),
            "pair_f1": round(pair_f1(pred, gold), 4), "nmi": round(nmi(pred, gold), 4),
            "ari": round(ari(pred, gold), 4), "clusters": len(set(pred)),
            "gold_clusters": len(set(gold)), **merged_and_split(pred, gold), "articles": len(items),
            "articles_per_s": round(rate, 1), **extra}


SPLIT_BELOW = 0.8  # a gold event with less of its articles than this in its main cluster is split


def merged_and_split(pred: list, gold: list) -> dict[str, int]:
    """Gold events merged into another (their main cluster is also another gold event's main
    cluster) and gold events split (under SPLIT_BELOW of their articles in their main cluster)."""
    by_gold: dict = {}
    for p, g in zip(pred, gold):
        by_gold.setdefault(g, Counter())[p] += 1
    home = {g: counts.most_common(1)[0][0] for g, counts in by_gold.items()}
    owners = Counter(home.values())
    merged = sum(1 for g in by_gold if owners[home[g]] > 1)
    split = sum(1 for g, counts in by_gold.items() if counts[home[g]] < SPLIT_BELOW * sum(counts.values()))
    return {"gold_merged": merged, "gold_split": split}
