"""Pairwise similarity with the clusterer's signal, scored on SemEval-2022 Task 8 pairs.

Each text is weighed against the document frequencies of all texts in the file (the
clusterer weighs against everything clustered so far); with embeddings on, the same mix
of embedding and TF-IDF cosine decides as in clustering. Pearson is reported over all pairs,
English pairs, and each language pair present (null for a language pair of fewer than 3 pairs,
or one whose scores do not vary).
"""
from __future__ import annotations

import csv
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from monitor.cluster.embed import embedder_for
from monitor.cluster.features import extract, weigh
from monitor.cluster_settings import ClusterSettings

csv.field_size_limit(1 << 30)
EMBED_WORDS = 160  # about the 256 word pieces all-MiniLM-L6-v2 reads


@dataclass(frozen=True)
class Pair:
    text1: str
    text2: str
    overall: float
    lang1: str
    lang2: str


def read_pairs(path: Path) -> list[Pair]:
    pairs = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            left, _, right = (row.get("pair_id") or "").partition("_")
            if left.isdigit() and right.isdigit():
                pairs.append(Pair(row["text1"], row["text2"], float(row["Overall"]), row["lang1"], row["lang2"]))
    return pairs


def _split(text: str) -> tuple[str, str]:
    """The files hold title and body in one field: the first line or sentence is the title."""
    head, sep, rest = text.partition("\n")
    if not sep:
        head, sep, rest = text.partition(". ")
    return head, rest


def similarities(pairs: list[Pair], settings: ClusterSettings) -> np.ndarray:
    texts = [t for p in pairs for t in (p.text1, p.text2)]
    features = [extract(*_split(t)) for t in texts]
    df: Counter[str] = Counter()
    for f in features:
        df.update(f.tf.keys())
    vecs = [weigh(f.tf, df, len(features)) for f in features]
    lexical = np.array([sum(w * vecs[2 * i + 1].get(t, 0.0) for t, w in vecs[2 * i].items())
                        for i in range(len(pairs))])
    embed = embedder_for(settings)
    if embed is None:
        return lexical
    # Each SemEval text is a whole article (title and body run together, the title not marked
    # reliably), so the embedding reads its head as the model takes it: title and lead.
    e = embed([" ".join(t.split()[:EMBED_WORDS]) for t in texts])
    semantic = np.sum(e[0::2] * e[1::2], axis=1)
    w = settings.embedding_weight
    return w * semantic + (1 - w) * lexical


def evaluate_pairs(pairs: list[Pair], settings: ClusterSettings) -> dict:
    sims = similarities(pairs, settings)
    target = np.array([4 - p.overall for p in pairs])
    english = np.array([p.lang1 == p.lang2 == "en" for p in pairs])
    pearson = lambda a, b: float(np.corrcoef(a, b)[0, 1]) if len(a) > 2 else float("nan")  # noqa: E731
    keys = np.array([f"{p.lang1}-{p.lang2}" for p in pairs])
    by_pair: dict[str, dict[str, float | int | None]] = {}
    for key in sorted(set(keys.tolist())):
        chosen = keys == key
        value = pearson(sims[chosen], target[chosen])
        by_pair[key] = {"pearson": None if math.isnan(value) else round(value, 4), "pairs": int(chosen.sum())}
    return {"pearson": round(pearson(sims, target), 4), "pearson_en": round(pearson(sims[english], target[english]), 4),
            "pairs": len(pairs), "pairs_en": int(english.sum()), "pearson_by_language_pair": by_pair}
