"""The next batch's features, computed in a worker process while this batch is decided.

Deciding is sequential (each article sees the clusters made before it); computing an
article's features (normalized text, terms, sketch) is not. With a backlog (a first poll,
an import, a re-clustering, an evaluation) one worker computes the next batch while the
main process decides this one, so clustering uses two cores. A small batch stays in the
process: starting a worker costs more than it saves. Features are a pure function of the
title and text, so where they are computed changes nothing in the clusters. With embeddings
on, the worker also embeds its share of the next batch's new headlines (embed_cache.py); the
model loads in the worker once, on its first share.
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


def _text(row: dict) -> tuple[str, str, str | None]:
    """What an article's features are computed from: title, text, declared language."""
    return row["title"], row["text"], row.get("language")


class Ahead:
    """Features (and vectors of `to_embed`) of one batch under way in the worker, for the rows
    they were asked for."""

    def __init__(self, rows: list[dict], to_embed: list[str] | None = None) -> None:
        self.texts = [_text(r) for r in rows]
        self.ids = [r["id"] for r in rows]
        self.to_embed = to_embed or []
        self.future: Future | None
        try:
            self.future = _worker.submit(features_of, self.texts, self.to_embed)
        except Exception:  # no worker to be had (e.g. out of processes): the batch is computed here
            self.future = None

    def result_for(self, rows: list[dict]) -> tuple[list[Features], np.ndarray | None] | None:
        """Features and vectors, if these rows are the ones asked for with the same texts; None otherwise."""
        if self.future is None or [r["id"] for r in rows] != self.ids \
                or [_text(r) for r in rows] != self.texts:
            return None
        try:
            return self.future.result()
        except Exception:  # the worker died or failed: compute here, start a fresh worker next time
            return None

    def features_for(self, rows: list[dict]) -> list[Features] | None:
        found = self.result_for(rows)
        return None if found is None else found[0]
