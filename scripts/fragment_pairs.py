"""Can a member-level judgement tell a story's fragments from confusable twin events? (#12)

Each labelled set is clustered as `monitor eval` clusters it (assign_pending on a temporary
database, default settings); then, on the final clusters, every pair the merge step could look
at (each cluster's SCORED_CANDIDATES best by the merge's own candidate search, no bound, the
window respected) gets the event-level probability the merge judges (`Engine.judge` of the one's
aggregate against the other) and member-level figures over the member pairs (the newest `--cap`
members of each side), each member pair scored as the SemEval pairs are (an article against a
one-article event, `similarity.evidence`): the mean and median pair probability, the share of
pairs at the join bar or above, average linkage of the two cosines (0.6 embedding + 0.4 terms,
the offline ceiling's best mix), and the mean over the two clusters' own cohesion (`ratio`:
cross mean / mean of each side's mean within). A pair is same-story when the two clusters'
majority gold labels agree. Pairs the merge vetoes (where it happened, figures) or without
shared terms (MIN_TERMS) are left out.

Printed per set and figure: how well it separates same-story from different-story pairs (AUC,
quantiles), then the end merges simulated on the final assignment (union-find over the pairs at
or above a bar, one bar for every set): at the bar that keeps the `--guard` set's different-story
merges at zero (ECB+'s twins) and at fixed bars. And moving single members: an article whose mean
probability against a paired cluster beats the one against its own cluster's other members by a
margin, moved there.

    D=../shared/datasets   # clustered with the default settings, whatever feeds.toml says
    .venv/bin/python scripts/fragment_pairs.py uci:$D/uci-news-aggregator-prefix/uci-news-aggregator.dev.csv \
        gnews:$D/googlenews-yin2014/News-T gnews:$D/ecbplus-dev/ecbplus-dev.jsonl
"""
from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from monitor.cluster import similarity
from monitor.cluster.assign import assign_pending
from monitor.cluster.embed import embedder_for
from monitor.cluster.engine import SCORED_CANDIDATES, Engine, _top
from monitor.cluster.evaluate import Item, b_cubed, merged_and_split, nmi, read_gnews, read_uci, store_items
from monitor.cluster.state import load_clusters
from monitor.cluster.vectors import Doc
from monitor.cluster_settings import ClusterSettings
from monitor.store import clusters as store, open_db

FIGURES = ("p", "mean_p", "median_p", "share", "avg_link", "ratio")
BARS = {"p": (0.9, 0.95, 0.982), "mean_p": (0.3, 0.4, 0.5), "median_p": (0.3, 0.4, 0.5),
        "share": (0.2, 0.3, 0.5), "avg_link": (0.2, 0.25, 0.3), "ratio": (0.4, 0.5, 0.6)}
MARGINS = (0.0, 0.1, 0.2, 0.3)


@dataclass
class Clustered:
    """One set clustered to the end: the engine holding every final cluster, and each member's doc."""

    name: str
    gold: list[str]
    pred: list[int]
    engine: Engine
    docs: dict[int, Doc]
    articles: list[int]  # article id of each pred/gold position
    gold_of: dict[int, str]  # article id -> gold label
    members: dict[int, list[int]]  # cluster id -> article ids


def cluster_set(name: str, items: list[Item], settings: ClusterSettings) -> Clustered:
    """Cluster as `monitor eval` does, then load every final cluster (not only the window's)."""
    with tempfile.TemporaryDirectory(prefix="monitor-fragments-") as tmp:
        db = open_db(Path(tmp) / "eval.db")
        ids = store_items(db, items)
        assign_pending(db, settings)
        where = store.cluster_of_each(db)
        kept = [(i, a) for i, a in enumerate(ids) if a is not None]
        engine = Engine(settings, text_of=lambda _: "", use_embeddings=embedder_for(settings) is not None)
        engine.df, engine.docs = store.document_frequencies(db)
        docs = load_clusters(db, engine, None)
        db.close()
    gold = [items[i].gold for i, _ in kept]
    pred = [where[a] for _, a in kept]
    members: dict[int, list[int]] = {}
    for (_, a), c in zip(kept, pred):
        members.setdefault(c, []).append(a)
    return Clustered(name, gold, pred, engine, docs, [a for _, a in kept], {a: items[i].gold for i, a in kept},
                     members)


class MemberScorer:
    """Member pairs scored as SemEval's pairs are: one article against a one-article event."""

    def __init__(self, c: Clustered, cap: int) -> None:
        self.c, self.cap = c, cap
        self.sides = {a: similarity.side_of(d.identity, d.features.has_text) for a, d in c.docs.items()}
        self.units = {a: d.emb / (float(np.linalg.norm(d.emb)) or 1.0) for a, d in c.docs.items() if d.emb is not None}

    def newest(self, cid: int) -> list[int]:
        return sorted(self.c.members[cid])[-self.cap:]

    def pairs(self, left: list[int], right: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(probability, 0.6 embedding + 0.4 terms cosine) of every member pair, the same member excluded."""
        engine, docs, probs, links = self.c.engine, self.c.docs, [], []
        for a in left:
            da, ua = docs[a], self.units.get(a)
            for b in right:
                if a == b:
                    continue
                db = docs[b]
                lexical = sum(w * db.vec.get(t, 0.0) for t, w in da.vec.items())
                ub = self.units.get(b)
                semantic = float(ua @ ub) if ua is not None and ub is not None else None
                gap = 0.0 if da.at is None or db.at is None else (da.at - db.at) / 3600
                ev = similarity.evidence(lexical, semantic, self.sides[a], self.sides[b], gap,
                                         engine.settings.window_hours, engine.name_weight)
                probs.append(similarity.probability(engine.model, ev))
                links.append(0.6 * (lexical if semantic is None else semantic) + 0.4 * lexical)
        return np.array(probs), np.array(links)

    def within(self, cid: int) -> float | None:
        own = self.newest(cid)
        return float(self.pairs(own, own)[0].mean()) if len(own) > 1 else None


def majority(c: Clustered, cid: int) -> str:
    return Counter(c.gold_of[a] for a in c.members[cid]).most_common(1)[0][0]


def candidate_pairs(c: Clustered, scorer: MemberScorer, floor: float) -> list[dict]:
    """Each final cluster's merge candidates with event-level p >= floor, scored at both levels."""
    engine = c.engine
    found: dict[tuple[int, int], float] = {}
    for cid in sorted(c.members):
        grown = engine.clusters[cid]
        if grown.kind != "event" or not grown.norm:
            continue
        emb = engine.emb["event"].get(cid) if engine.weight else None
        scores = engine._scores(grown.top_terms(), emb, grown.norm, "event", grown.last_seen, exclude=cid)
        for other, (_, lexical, semantic) in _top(scores, SCORED_CANDIDATES):
            if other not in c.members or lexical < similarity.MIN_TERMS:
                continue
            p, ev = engine.judge(grown.side, grown.last_seen, engine.clusters[other], lexical, semantic,
                                 engine.closest(engine.clusters[other], semantic, emb))
            if ev.values["where_conflict"] or ev.figures_apart is not None or p < floor:
                continue
            key = (min(cid, other), max(cid, other))
            found[key] = max(found.get(key, 0.0), p)
    within: dict[int, float | None] = {}
    out = []
    for (a, b), p in sorted(found.items()):
        probs, links = scorer.pairs(scorer.newest(a), scorer.newest(b))
        for x in (a, b):
            if x not in within:
                within[x] = scorer.within(x)
        own = [w for w in (within[a], within[b]) if w]
        out.append({"a": a, "b": b, "same": majority(c, a) == majority(c, b), "p": p,
                    "mean_p": float(probs.mean()), "median_p": float(np.median(probs)),
                    "share": float((probs >= engine.settings.join_probability).mean()),
                    "avg_link": float(links.mean()),
                    "ratio": float(probs.mean()) / float(np.mean(own)) if own else float("nan")})
    return out


def metrics(pred: list, gold: list) -> str:
    precision, recall, f1 = b_cubed(pred, gold)
    split = merged_and_split(pred, gold)
    return (f"B3 F1 {f1:.4f} (P {precision:.4f} R {recall:.4f}) NMI {nmi(pred, gold):.4f} "
            f"clusters {len(set(pred))} merged/split {split['gold_merged']}/{split['gold_split']}")


def merged(pred: list[int], pairs: list[dict]) -> list[int]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x
    for r in pairs:
        a, b = find(r["a"]), find(r["b"])
        if a != b:
            parent[max(a, b)] = min(a, b)
    return [find(x) for x in pred]


def auc(same: np.ndarray, other: np.ndarray) -> float:
    if not len(same) or not len(other):
        return float("nan")
    return float(np.mean([(x > other).mean() + 0.5 * (x == other).mean() for x in same]))


def report_separation(c: Clustered, rows: list[dict]) -> None:
    same = [r for r in rows if r["same"]]
    other = [r for r in rows if not r["same"]]
    print(f"== {c.name}: {metrics(c.pred, c.gold)}; candidate pairs same-story {len(same)}, different {len(other)}")
    for f in FIGURES:
        a = np.array([r[f] for r in same if r[f] == r[f]])
        b = np.array([r[f] for r in other if r[f] == r[f]])
        q = lambda v: "/".join(f"{x:.3f}" for x in np.quantile(v, [0.1, 0.5, 0.9])) if len(v) else "-"  # noqa: E731
        top = f"{b.max():.3f}" if len(b) else "-"
        print(f"  {f:9s} AUC {auc(a, b):.3f}  same q10/50/90 {q(a)}  different {q(b)}  different max {top}")


def report_merges(sets: list[tuple[Clustered, list[dict]]], guard: str) -> None:
    guarded = [rows for c, rows in sets if c.name == guard]
    print("\nEnd merges simulated on the final assignment (one bar for every set):")
    for f in FIGURES:
        bars = list(BARS[f])
        twins = [r[f] for r in guarded[0] if not r["same"] and r[f] == r[f]] if guarded else []
        if twins:
            bars.insert(0, max(twins) + 1e-6)
        for n, bar in enumerate(bars):
            tag = f" (no {guard} different-story merge)" if twins and n == 0 else ""
            print(f"  {f} >= {bar:.4f}{tag}")
            for c, rows in sets:
                chosen = [r for r in rows if r[f] == r[f] and r[f] >= bar]
                right = sum(r["same"] for r in chosen)
                print(f"    {c.name}: +{right}/-{len(chosen) - right} {metrics(merged(c.pred, chosen), c.gold)}")


def report_moves(sets: list[tuple[Clustered, list[dict]]], scorer_of: dict[str, MemberScorer]) -> None:
    """Single members moved to a paired cluster whose members they match better than their own."""
    print("\nMembers moved (mean p against the paired cluster >= against their own + margin):")
    looks: dict[str, list[tuple[int, int, int, float]]] = {}
    for c, rows in sets:
        scorer = scorer_of[c.name]
        partners: dict[int, set[int]] = {}
        for r in rows:
            partners.setdefault(r["a"], set()).add(r["b"])
            partners.setdefault(r["b"], set()).add(r["a"])
        found = []
        for cid, others in sorted(partners.items()):
            if len(c.members[cid]) < 2:
                continue
            for a in c.members[cid]:
                rest = [m for m in scorer.newest(cid) if m != a] or [m for m in c.members[cid] if m != a]
                own = float(scorer.pairs([a], rest)[0].mean())
                best, to = max((float(scorer.pairs([a], scorer.newest(o))[0].mean()), o) for o in others)
                found.append((a, cid, to, best - own))
        looks[c.name] = found
    for margin in MARGINS:
        print(f"  margin {margin}")
        for c, _ in sets:
            index = {a: i for i, a in enumerate(c.articles)}
            pred = list(c.pred)
            right = wrong = 0
            chosen = [m for m in looks[c.name] if m[3] >= margin]
            for a, src, dst, _ in chosen:
                pred[index[a]] = dst
                gold, home, there = c.gold_of[a], majority(c, src), majority(c, dst)
                right += gold == there != home
                wrong += gold == home != there
            print(f"    {c.name}: moved {len(chosen)} (to its story {right}, out of it {wrong}) {metrics(pred, c.gold)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", help="FORMAT:PATH, FORMAT uci or gnews")
    parser.add_argument("--cap", type=int, default=40, help="newest members per side scored (default 40)")
    parser.add_argument("--floor", type=float, default=0.3, help="least event-level p of a pair kept (default 0.3)")
    parser.add_argument("--guard", default="ecbplus-dev", help="set whose different-story merges set the first bar")
    parser.add_argument("--no-moves", action="store_true", help="skip the single-member moves")
    args = parser.parse_args()
    settings = ClusterSettings()
    sets, scorers = [], {}
    for spec in args.sets:
        kind, _, path = spec.partition(":")
        items = read_uci(Path(path)) if kind == "uci" else read_gnews(Path(path))
        c = cluster_set(Path(path).stem, items, settings)
        scorers[c.name] = MemberScorer(c, args.cap)
        rows = candidate_pairs(c, scorers[c.name], args.floor)
        report_separation(c, rows)
        sets.append((c, rows))
    report_merges(sets, args.guard)
    if not args.no_moves:
        report_moves(sets, scorers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
