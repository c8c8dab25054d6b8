"""Pairwise similarity with the clusterer's signal, scored on SemEval-2022 Task 8 pairs.

Each text is weighed against the document frequencies of all texts in the file (the
clusterer weighs against everything clustered so far); the pair's evidence (terms, embedding,
places, names, numbers, language) goes through the same learned model as in clustering, and
its probability is what is correlated. Pearson is reported over all pairs, English pairs, and
each language pair present.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from monitor.cluster import similarity
from monitor.cluster.stored_rows import english_or_unknown
from monitor.cluster.embed import embedder_for
from monitor.cluster.engine import Engine
from monitor.cluster.vectors import dot
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


def pair_evidence(pairs: list[Pair], settings: ClusterSettings, embed) -> list[similarity.Evidence]:
    """The clusterer's evidence for each pair: the second text as a one-article event."""
    texts = [t for p in pairs for t in (p.text1, p.text2)]
    langs = [lang for p in pairs for lang in (p.lang1, p.lang2)]
    features = [extract(*_split(t), lang) for t, lang in zip(texts, langs)]
    engine = Engine(settings, text_of=lambda _: "", use_embeddings=embed is not None)
    for f in features:
        engine.count(f)
    vecs = [weigh(f.tf, engine.df, engine.docs) for f in features]
    embs: list = [None] * len(texts)
    if embed is not None:
        # Each SemEval text is a whole article (title and body run together, the title not marked
        # reliably), so the embedding reads its head as the model takes it: title and lead.
        wanted = [i for i, f in enumerate(features) if english_or_unknown(f.identity.language)]
        for i, e in zip(wanted, embed([" ".join(texts[i].split()[:EMBED_WORDS]) for i in wanted]) if wanted else []):
            embs[i] = e
    out = []
    for i in range(len(pairs)):
        a, b = 2 * i, 2 * i + 1
        lexical = dot(vecs[a], vecs[b])
        semantic = float(embs[a] @ embs[b]) if embs[a] is not None and embs[b] is not None else None
        out.append(similarity.evidence(lexical, semantic, similarity.side_of(features[a].identity, features[a].has_text),
                                       similarity.side_of(features[b].identity, features[b].has_text), 0.0,
                                       settings.window_hours,
                                       engine.name_weight))
    return out


def similarities(pairs: list[Pair], settings: ClusterSettings) -> np.ndarray:
    """The learned same-event probability of each pair (the number the clusterer thresholds)."""
    embed = embedder_for(settings)
    model = similarity.model(embed is not None)
    return np.array([similarity.probability(model, ev) for ev in pair_evidence(pairs, settings, embed)])


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
