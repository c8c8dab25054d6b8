"""Sentence vectors of a clustering run: known ones reused, new ones computed on two cores.

A vector is keyed by the hash of the model, its settings and the text embedded (the headline),
so an article republished under the same headline is not embedded again, in this run or any
later one: vectors are stored in SQLite (store/embeddings.py) with the batch that made them.
With a backlog, the new texts of the next batch are lent to the clustering worker in chunks of
one run of the model each (prefetch.embed_there) while this process decides the batch before
it; when this process needs that batch's vectors it takes back the chunks the worker has not
begun and embeds them itself instead of waiting (`_collect`). So each side embeds what its speed
allows at the moment (a worker still starting or loading the model, a core taken by other
work), with no fixed share: a fixed one (40% here) left one side waiting for the other. A
backlog's first batch is embedded here while the worker starts. A text's vector does not depend
on the texts embedded with it (minilm.py), so where it is embedded changes no vector.
"""
from __future__ import annotations

import hashlib
import itertools
from concurrent.futures import Future
from typing import Callable

import numpy as np
from sqlite_utils import Database

from monitor.cluster import embed
from monitor.store import embeddings as store

KEPT = 5_000  # vectors kept in memory between batches (7.5 MB)

Encoder = Callable[[list[str]], np.ndarray]


def key(text: str) -> bytes:
    return hashlib.sha256(f"{embed.RULE}\n{text}".encode()).digest()[:16]


class VectorCache:
    """Vectors by text for one run: in memory, else stored, else computed."""

    def __init__(self, db: Database, encode: Encoder) -> None:
        self.db, self.encode = db, encode
        self.known: dict[str, np.ndarray] = {}
        self.stored: set[str] = set()  # texts whose vector the database has (or will have with its batch)
        self.lent: list[tuple[list[str], Future]] = []  # chunks of texts the clustering worker is embedding
        self.serving: set[str] = set()  # the texts `vectors` is answering for: never evicted meanwhile

    def lend(self, shares: list[tuple[list[str], Future]] | None) -> None:
        """These chunks of texts are being embedded elsewhere (the worker, prefetch.embed_there):
        `vectors` takes their result, or takes back the chunks not begun when it needs them."""
        self.lent.extend((texts, future) for texts, future in shares or [] if texts)

    def _collect(self, needed: set[str]) -> None:
        """The vectors of the lent chunks holding any of `needed`; the chunks the worker has not
        begun are taken back and embedded here, the others waited for.

        With the next batch's chunks queued behind them, every chunk not begun is taken back at
        once: the worker goes on to the next batch. With nothing queued behind them (a run's last
        batch), one at a time, the last first, while the worker goes on from the first (it takes
        them in order: once one cannot be cancelled, none before it can); taken all at once
        there, they were embedded here while the worker stood idle. One at a time everywhere left
        this process waiting at each batch for the chunks the worker had begun or held (~0.1 s)."""
        wanted = [(texts, future) for texts, future in self.lent if not needed.isdisjoint(texts)]
        if not wanted:
            return
        self.lent = [(texts, future) for texts, future in self.lent if needed.isdisjoint(texts)]
        if self.lent:
            self.compute([t for texts, future in wanted if future.cancel() for t in texts])
        else:
            for texts, future in reversed(wanted):
                if not future.cancel():
                    break
                self.compute(texts)
        for texts, future in wanted:
            if future.cancelled():
                continue
            try:
                vectors = future.result()[1]
            except Exception:  # the worker died or failed: what it had is computed here
                continue
            if vectors is not None:
                self.add(texts, vectors)

    def missing(self, texts: list[str]) -> list[str]:
        """The distinct texts with no vector in memory or in the database (those found are kept)."""
        wanted = list(dict.fromkeys(t for t in texts if t not in self.known))
        keys = {key(t): t for t in wanted}
        for k, vec in store.cached_vectors(self.db, list(keys)).items():
            text = keys[k]
            self.known[text] = np.frombuffer(vec, dtype=np.float32)
            self.stored.add(text)
        return [t for t in wanted if t not in self.known]

    def compute(self, texts: list[str]) -> None:
        """Embed these texts here and keep their vectors."""
        self.add(texts, self.encode(texts) if texts else np.zeros((0, embed.DIMENSIONS), np.float32))

    def add(self, texts: list[str], vectors: np.ndarray) -> None:
        for text, vector in zip(texts, vectors):
            self.known[text] = vector
        excess = len(self.known) - KEPT
        if excess > 0:
            # The oldest go first, but not a text of the batch being answered: one known since an
            # earlier batch sits among the oldest, and adding this batch's new vectors evicted it
            # before it was read (a KeyError on a backlog that repeats headlines over 5,000 others).
            oldest = itertools.islice(self.known, excess + len(self.serving))
            for text in [t for t in oldest if t not in self.serving][:excess]:
                del self.known[text]
                self.stored.discard(text)

    def vectors(self, texts: list[str]) -> tuple[list[np.ndarray], list[tuple[bytes, bytes]]]:
        """A vector per text (computing what is still missing), and the (key, bytes) rows to store."""
        lent = {t for share, _ in self.lent for t in share}
        self.serving = set(texts)
        try:
            missing = self.missing(texts)
            self.compute([t for t in missing if t not in lent])
            self._collect(set(missing))
            self.compute(self.missing(texts))
            new = []
            for text in dict.fromkeys(texts):
                if text not in self.stored:
                    new.append((key(text), self.known[text].astype(np.float32).tobytes()))
                    self.stored.add(text)
            return [self.known[t] for t in texts], new
        finally:
            self.serving = set()
