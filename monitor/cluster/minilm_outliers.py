"""The hidden channels that the int8 products leave in float32, and how they were found.

all-MiniLM-L6-v2's hidden state carries a few channels far larger than the rest (channel 99
after the layer norms reaches ~30 where most stay under 2; the feed-forward's GELU has one or
two such units per layer). With one quantization scale per token those channels would take
the whole uint8 range, so each int8 product's input keeps its CHANNELS largest in float32
(onnx_int8.py). They are a property of the model, not of any text: found by running the
float32 model on SEQUENCES random strings of word pieces from its own vocabulary (seed 0;
no evaluation text) and taking each input's largest maxima. tests/cluster check that
`calibrate()` still gives FLOAT_CHANNELS for the pinned file.
"""
from __future__ import annotations

from pathlib import Path

CHANNELS = 4
SEQUENCES = 200

# Product input (a tensor of the pinned model.onnx) -> channels kept in float32, ascending.
FLOAT_CHANNELS: dict[str, tuple[int, ...]] = {
    "layer_norm": (63, 99, 157, 338), "layer_norm_1": (63, 99, 157, 267),
    "layer_norm_2": (63, 99, 157, 338), "layer_norm_3": (99, 157, 223, 267),
    "layer_norm_4": (99, 157, 223, 338), "layer_norm_5": (99, 157, 223, 338),
    "layer_norm_6": (99, 157, 223, 338), "layer_norm_7": (63, 99, 157, 223),
    "layer_norm_8": (99, 157, 223, 338), "layer_norm_9": (99, 127, 157, 223),
    "layer_norm_10": (99, 157, 223, 338), "layer_norm_11": (99, 127, 223, 319),
    "gelu": (546, 691, 856, 1120), "gelu_1": (116, 251, 484, 607), "gelu_2": (218, 479, 554, 1004),
    "gelu_3": (32, 111, 358, 1057), "gelu_4": (122, 769, 1089, 1097), "gelu_5": (499, 745, 830, 1280),
    "view_3": (76, 86, 139, 311), "view_7": (262, 269, 280, 296), "view_11": (33, 56, 200, 205),
    "view_15": (131, 187, 202, 213), "view_19": (288, 316, 328, 381), "view_23": (52, 83, 229, 288),
}


def calibrate(model: Path, tokenizer: Path, channels: int = CHANNELS, sequences: int = SEQUENCES,
              seed: int = 0) -> dict[str, tuple[int, ...]]:
    """Each weight product's input -> its `channels` channels of largest |value|, ascending, over
    random word-piece strings ([CLS] 6-39 pieces [SEP]) run through the float32 model."""
    import numpy as np
    import onnx
    import onnxruntime
    from tokenizers import Tokenizer

    from monitor.cluster import onnx_int8

    graph_model = onnx.load_from_string(onnx_int8.rewrite(model, int8_matmul=False))
    graph = graph_model.graph
    inputs = onnx_int8.product_inputs(graph)
    for name in inputs:
        graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    session = onnxruntime.InferenceSession(graph_model.SerializeToString(), providers=["CPUExecutionProvider"])
    vocab = Tokenizer.from_file(str(tokenizer)).get_vocab()
    pieces = np.array(sorted(i for piece, i in vocab.items() if not piece.startswith("[")))
    rng = np.random.default_rng(seed)
    largest: dict[str, np.ndarray] = {}
    for _ in range(sequences):
        ids = np.array([[vocab["[CLS]"], *rng.choice(pieces, rng.integers(6, 40)), vocab["[SEP]"]]])
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        for name, value in zip(inputs, session.run(inputs, feeds)):
            peak = np.abs(value).reshape(-1, value.shape[-1]).max(axis=0)
            largest[name] = np.maximum(largest.get(name, peak), peak)
    return {name: tuple(sorted(int(c) for c in np.argsort(-peaks)[:channels])) for name, peaks in largest.items()}
