"""The next batch's features, computed in a worker process while this batch is decided.

Deciding is sequential (each article sees the clusters made before it); computing an
article's features (normalized text, terms, sketch) is not. With a backlog (a first poll,
an import, a re-clustering, an evaluation) one worker computes the next batch while the
main process decides this one, so clustering uses two cores. A small batch stays in the
process: starting a worker costs more than it saves. Features are a pure function of the
title and text, so where they are computed changes nothing in the clusters.
"""
from __future__ import annotations

from concurrent.futures import Future

from monitor.cluster.features import Features, extract
from monitor.processes import BackgroundWorker

_worker = BackgroundWorker(["monitor.cluster.features"])


def features_of(texts: list[tuple[str, str, str | None]]) -> list[Features]:
    return [extract(title, text, language) for title, text, language in texts]


class Ahead:
    """Features of one batch under way in the worker, for the rows they were asked for."""

    def __init__(self, rows: list[dict]) -> None:
        self.texts = [(r["title"], r["text"], r.get("language")) for r in rows]
        self.ids = [r["id"] for r in rows]
        self.future: Future | None
        try:
            self.future = _worker.submit(features_of, self.texts)
        except Exception:  # no worker to be had (e.g. out of processes): the batch is computed here
            self.future = None

    def features_for(self, rows: list[dict]) -> list[Features] | None:
        """The features, if these rows are the ones asked for with the same texts; None otherwise."""
        if self.future is None or [r["id"] for r in rows] != self.ids \
                or [(r["title"], r["text"], r.get("language")) for r in rows] != self.texts:
            return None
        try:
            return self.future.result()
        except Exception:  # the worker died or failed: compute here, start a fresh worker next time
            return None
