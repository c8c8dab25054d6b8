"""The next batch's features, computed in a worker process while this batch is decided.

Deciding is sequential (each article sees the clusters made before it); computing an
article's features (normalized text, terms, sketch) is not. With a backlog (a first poll,
an import, a re-clustering, an evaluation) one worker computes the next batch while the
main process decides this one, so clustering uses two cores. A small batch stays in the
process: starting a worker costs more than it saves. Features are a pure function of the
title and text, so where they are computed changes nothing in the clusters. With embeddings
on, the worker also embeds its share of the next batch's new headlines (embed_cache.py), in
chunks queued after the features, so that the main process can take back the chunks not begun;
the model loads in the worker once, on its first share.
"""
from __future__ import annotations

from concurrent.futures import Future

import numpy as np

from monitor.cluster.features import Features, extract
from monitor.processes import BackgroundWorker

# Not at lower priority: with embeddings on it does most of a batch's work and the deciding loop
# waits for it (niced, it starved on a loaded machine: UCI dev at 6 articles/s against 96 in-process).
_worker = BackgroundWorker(["monitor.cluster.features"], lower=False)


def features_of(texts: list[tuple[str, str, str | None]], to_embed: list[str] | None = None) \
        -> tuple[list[Features], np.ndarray | None]:
    features = [extract(title, text, language) for title, text, language in texts]
    if not to_embed:
        return features, None
    from monitor.cluster.embed import encode  # the runtime loads here, in the worker, on first use

    return features, encode(to_embed)


def embed_there(texts: list[str]) -> list[tuple[list[str], Future]]:
    """The worker embeds these texts, one chunk per run of the model (embed.runs: texts of one
    length, up to 32 headlines); (texts, future) per chunk submitted, each future's result (no
    features, vectors). A chunk the worker has begun or holds in its queue (at most two) is
    waited for; the others can be taken back (embed_cache.py). Empty when no worker is to be
    had: the texts are then embedded where they are needed."""
    if not texts:
        return []
    from monitor.cluster.embed import runs  # the model, which this process loads anyway

    shares = []
    for chunk in runs(texts):
        try:
            shares.append((chunk, _worker.submit(features_of, [], chunk)))
        except Exception:
            break
    return shares


def _text(row: dict) -> tuple[str, str, str | None]:
    """What an article's features are computed from: title, text, declared language."""
    return row["title"], row["text"], row.get("language")


class Ahead:
    """Features of one batch under way in the worker, for the rows they were asked for (the
    vectors of its worker's share are lent to the VectorCache: embed_there)."""

    def __init__(self, rows: list[dict]) -> None:
        self.texts = [_text(r) for r in rows]
        self.ids = [r["id"] for r in rows]
        self.future: Future | None
        try:
            self.future = _worker.submit(features_of, self.texts)
        except Exception:  # no worker to be had (e.g. out of processes): the batch is computed here
            self.future = None

    def result_for(self, rows: list[dict]) -> list[Features] | None:
        """The features, if these rows are the ones asked for with the same texts; None otherwise."""
        if self.future is None or [r["id"] for r in rows] != self.ids \
                or [_text(r) for r in rows] != self.texts:
            return None
        try:
            return self.future.result()[0]
        except Exception:  # the worker died or failed: compute here, start a fresh worker next time
            return None
