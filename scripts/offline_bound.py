"""What the clustering's two cosines can reach on a labelled set when nothing is incremental and the
threshold is chosen by looking at the answer: a ceiling for #12's targets, not a method.

Average-linkage agglomerative clustering (scipy) over the whole set at once, on
w x headline-embedding cosine + (1 - w) x TF-IDF cosine (the product's own terms, weighed over the
whole set), for several w; for each w the B3 F1 at its best distance threshold and the NMI at
its own best (oracle choices, per dataset and per w). The product clusters one article at a time with one
threshold for every set, so it should not be expected above these figures on the signals they
share; the event evidence (places, names, weekdays, figures) is not in them.

    .venv/bin/pip install -e ".[fit]"   # scipy
    D=../shared/datasets; export MONITOR_CONFIG=/dev/null
    .venv/bin/python scripts/offline_bound.py uci $D/uci-news-aggregator-prefix/uci-news-aggregator.dev.csv
    .venv/bin/python scripts/offline_bound.py gnews $D/googlenews-yin2014/News-T
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from monitor.cluster.embed import encode
from monitor.cluster.evaluate import Item, b_cubed, nmi, read_gnews, read_uci, split_title
from monitor.cluster.features import embed_text, extract, weigh

WEIGHTS = (0.5, 0.6, 0.7, 0.8, 1.0)
THRESHOLDS = np.arange(0.3, 0.95, 0.0125)  # cosine distances tried for each weight


def _cosines(items: list[Item], uci: bool) -> tuple[np.ndarray, np.ndarray]:
    """(embedding cosines, TF-IDF cosines) between every two items."""
    texts = [(item.text, "") if uci else split_title(item.text) for item in items]
    vectors = np.asarray(encode([embed_text(title, body) for title, body in texts]), dtype=np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    features = [extract(title, body) for title, body in texts]
    df: dict[str, int] = {}
    for feature in features:
        for term in feature.tf:
            df[term] = df.get(term, 0) + 1
    column = {term: k for k, term in enumerate(df)}
    terms = np.zeros((len(features), len(column)))
    for row, feature in enumerate(features):
        for term, weight in weigh(feature.tf, df, len(features), limit=None).items():
            terms[row, column[term]] = weight
    return vectors @ vectors.T, terms @ terms.T


def main() -> None:
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("format", choices=["uci", "gnews"])
    parser.add_argument("path", type=Path)
    args = parser.parse_args()
    items = read_uci(args.path) if args.format == "uci" else read_gnews(args.path)
    gold = [item.gold for item in items]
    embedding, terms = _cosines(items, args.format == "uci")
    for w in WEIGHTS:
        distance = np.clip(1 - (w * embedding + (1 - w) * terms), 0, None)
        np.fill_diagonal(distance, 0)
        tree = linkage(squareform(distance, checks=False), "average")
        cuts = {t: list(fcluster(tree, t, "distance")) for t in THRESHOLDS}
        f1, threshold = max((b_cubed(labels, gold)[2], t) for t, labels in cuts.items())
        best_nmi, nmi_threshold = max((nmi(labels, gold), t) for t, labels in cuts.items())
        precision, recall, _ = b_cubed(cuts[threshold], gold)
        print(f"{args.path.name} w={w}: best B3 F1 {f1:.4f} (P {precision:.3f} R {recall:.3f}, "
              f"{len(set(cuts[threshold]))} clusters) at distance {threshold:.3f}; best NMI {best_nmi:.4f} "
              f"at {nmi_threshold:.3f}", flush=True)


if __name__ == "__main__":
    main()
