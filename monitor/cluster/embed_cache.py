"""Sentence vectors of a clustering run: known ones reused, new ones computed on two cores.

A vector is keyed by the hash of the model, its settings and the text embedded (the headline),
so an article republished under the same headline is not embedded again, in this run or any
later one: vectors are stored in SQLite (store/embeddings.py) with the batch that made them.
With a backlog, the texts of the next batch are split: the clustering worker embeds one share
while this process embeds the other, between deciding batches (prefetch.py). The first batch,
which has no batch ahead of it, is split the same way (`lend`): alone, this process embedded it
while the worker waited.
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
# The share of a backlog batch's new texts that this process embeds (the worker does the rest,
# beside computing features; this process also decides each batch and hands it to the writer).
HERE_SHARE = 0.4

Encoder = Callable[[list[str]], np.ndarray]


def key(text: str) -> bytes:
    return hashlib.sha256(f"{embed.RULE}\n{text}".encode()).digest()[:16]


class VectorCache:
    """Vectors by text for one run: in memory, else stored, else computed."""

    def __init__(self, db: Database, encode: Encoder) -> None:
        self.db, self.encode = db, encode
        self.known: dict[str, np.ndarray] = {}
        self.stored: set[str] = set()  # texts whose vector the database has (or will have with its batch)
        self.lent: list[tuple[list[str], Future]] = []  # texts the clustering worker is embedding

    def lend(self, texts: list[str], future: Future | None) -> None:
        """These texts are being embedded elsewhere (the worker): `vectors` takes their result."""
        if texts and future is not None:
            self.lent.append((texts, future))

    def _collect(self) -> None:
        lent, self.lent = self.lent, []
        for texts, future in lent:
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
            for text in list(itertools.islice(self.known, excess)):
                del self.known[text]
                self.stored.discard(text)

    def vectors(self, texts: list[str]) -> tuple[list[np.ndarray], list[tuple[bytes, bytes]]]:
        """A vector per text (computing what is still missing), and the (key, bytes) rows to store."""
        lent = {t for share, _ in self.lent for t in share}
        self.compute([t for t in self.missing(texts) if t not in lent])  # while the worker embeds its share
        self._collect()
        self.compute(self.missing(texts))
        new = []
        for text in dict.fromkeys(texts):
            if text not in self.stored:
                new.append((key(text), self.known[text].astype(np.float32).tobytes()))
                self.stored.add(text)
        return [self.known[t] for t in texts], new


def split(texts: list[str]) -> tuple[list[str], list[str]]:
    """(embedded here, embedded by the worker) for a backlog batch's new texts."""
    here = int(len(texts) * HERE_SHARE)
    return texts[:here], texts[here:]
