"""The graph rewritten at load: the int8 products (onnx_int8.py) keep the model's own outlier
channels in float32 and stay near the float32 products' vectors, independent of the batch a text
runs in; the fused attention and GELU (onnx_fused.py) change nothing but the kernels."""
from __future__ import annotations

import numpy as np
import pytest

from monitor.cluster import minilm, minilm_outliers, onnx_int8
from monitor.cluster.evaluate import read_uci
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def headlines() -> list[str]:
    rows = read_uci(shared_path("datasets/uci-news-aggregator-prefix/uci-news-aggregator.dev.csv"))
    return [row.text for row in rows][:300]


def _vectors(texts: list[str], int8: bool, channels: dict[str, tuple[int, ...]], fused: bool = False) -> np.ndarray:
    import onnxruntime

    model = minilm.MiniLM(64)
    blob = onnx_int8.rewrite(minilm.MODEL.verified(), int8, channels, fused)
    model.session = onnxruntime.InferenceSession(blob, providers=["CPUExecutionProvider"])
    return model.encode(texts)


def test_the_float_channels_are_what_calibration_on_the_vocabulary_finds():
    found = minilm_outliers.calibrate(minilm.MODEL.verified(), minilm.TOKENIZER.verified())
    assert found == minilm_outliers.FLOAT_CHANNELS
    assert all(99 in found[f"layer_norm_{i}"] for i in range(1, 12))  # the channel that reaches ~30


def test_int8_vectors_stay_near_the_float_ones_and_the_float_channels_are_why(headlines):
    exact = _vectors(headlines, False, {})
    shipped = (_vectors(headlines, True, minilm_outliers.FLOAT_CHANNELS) * exact).sum(axis=1)
    spanned = (_vectors(headlines, True, {}) * exact).sum(axis=1)  # one scale per token spans the outliers
    assert shipped.min() > 0.998 and shipped.mean() > 0.9995
    assert spanned.mean() < shipped.mean() - 0.001 and spanned.min() < shipped.min() - 0.005


def test_a_vector_does_not_depend_on_its_batch(headlines):
    model = minilm.MiniLM(64)
    together = model.encode(headlines[:40])
    alone = np.vstack([model.encode([text]) for text in headlines[:40]])
    assert np.abs(together - alone).max() < 1e-5


def test_fused_attention_and_gelu_replace_the_exported_nodes_and_keep_the_vectors(headlines):
    import onnx

    graph = onnx.load_from_string(onnx_int8.rewrite(minilm.MODEL.verified(), False, fused=True)).graph
    ops = [node.op_type for node in graph.node]
    assert ops.count("MultiHeadAttention") == 6 and ops.count("BiasGelu") == 6
    assert not {"Softmax", "Erf", "Transpose", "IsNaN"} & set(ops)
    texts = headlines[:100]
    assert np.abs(_vectors(texts, False, {}, fused=True) - _vectors(texts, False, {})).max() < 1e-5
