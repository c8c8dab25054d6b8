"""The int8 MiniLM file rewritten in memory at load: small to load, int8 products where they are exact enough.

The file stores each weight as int8 with a float scale and turns it back into float32 inside
the graph (Cast, Mul). Left so, onnxruntime folds every weight into float32 at load, the
30k-row word table included (90 MB resident, a `monitor import` peaking at 304 MB). Rewritten:

- each `Gather(Mul(Cast(Eq), scale), ids)` (the embedding tables, per-row scales) gathers the
  int8 rows first and scales only those: the table is never made float32, the vectors are
  the same;
- with int8_matmul, each `MatMul(x, Mul(Cast(Wq), scale))` multiplies the file's own int8
  weights (per-column scales, unchanged) by x quantized to uint8 with one scale per token
  (`MatMulIntegerToFloat`, AVX-512 VNNI here). A token's vector so never depends on the other
  texts of its batch. A few hidden channels carry values 5-20x the others' (channel 99 after the
  layer norms reaches ~30 where most stay under 2): a scale that spans them leaves too few steps
  for the rest, so the `float_channels` of each product's input (minilm_outliers.py) are taken
  out of the int8 product and multiplied in float32 (LLM.int8()'s decomposition); the weights
  are not requantized.

The dequantizing nodes left without a reader are dropped. Nothing is written to disk: the
rewritten model goes to onnxruntime as bytes.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from monitor.cluster import onnx_fused

# Rounded to uint8 around 128, so a token's largest |value| maps to +-127 (symmetric, as the weights).
_ZERO = 128


@dataclass(frozen=True)
class _Quantized:
    """One product input as the int8 products read it."""

    values: str  # uint8, (batch, tokens, width)
    scales: str  # float32, (batch, tokens, 1)
    channels: tuple[int, ...]  # kept in float32 (zero in `values`)
    kept: str  # those channels' values, (batch, tokens, len(channels)); unused when there are none


def rewrite(path: Path, int8_matmul: bool = True, float_channels: Mapping[str, Sequence[int]] | None = None,
            fused: bool = False) -> bytes:
    """The model at `path`, rewritten as above, serialized for onnxruntime.InferenceSession.

    int8_matmul=False keeps the float32 products (exact; the weights then fold into float32).
    float_channels: per product input (a tensor name of this graph), the channels kept in float32.
    fused: attention and GELU as onnxruntime's fused kernels (onnx_fused.py)."""
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load(str(path))
    graph = model.graph
    if fused:
        onnx_fused.fuse(graph)
    weights = {i.name: i for i in graph.initializer}
    dequantized = _Dequantized(graph)
    build = _Builder(weights)
    quantized: dict[str, _Quantized] = {}
    for node in graph.node:
        if node.op_type == "Gather" and (found := dequantized(node.input[0])):
            table, scale = found
            out, ids = node.output[0], node.input[1]
            build.nodes += [helper.make_node("Gather", [table, ids], [out + "/q"], axis=0),
                            helper.make_node("Cast", [out + "/q"], [out + "/f"], to=TensorProto.FLOAT),
                            helper.make_node("Gather", [scale, ids], [out + "/s"], axis=0),
                            helper.make_node("Mul", [out + "/f", out + "/s"], [out])]
        elif int8_matmul and node.op_type == "MatMul" and (found := dequantized(node.input[1])):
            x = node.input[0]
            if x not in quantized:  # Q, K and V read one input: quantized once
                quantized[x] = build.rows_quantized(x, weights[found[0]].dims[0], (float_channels or {}).get(x, ()))
            build.int8_product(node.output[0], quantized[x], *found)
        else:
            build.nodes.append(node)
    nodes = _without_dead(build.nodes, {o.name for o in graph.output})
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(build.added)
    read = {name for node in nodes for name in node.input}
    kept = [i for i in graph.initializer if i.name in read]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    if not any(op.domain == "com.microsoft" for op in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return model.SerializeToString()


class _Builder:
    """The rewritten graph's nodes and new initializers, in order."""

    def __init__(self, weights: dict[str, Any]) -> None:
        from onnx import numpy_helper

        self.weights = weights
        self.nodes: list[Any] = []
        self.added: list[Any] = []
        self._array = numpy_helper.to_array
        self._tensor = numpy_helper.from_array
        for name, value in (("q/one", np.array(1.0, np.float32)), ("q/zero", np.array(_ZERO, np.uint8)),
                            ("q/tiny", np.array(1e-8, np.float32)), ("q/127", np.array(127.0, np.float32)),
                            ("q/0", np.array([0], np.int64)),
                            ("q/2", np.array([2], np.int64)), ("q/1", np.array([1], np.int64))):
            self.constant(value, name)

    def constant(self, value: np.ndarray, name: str) -> str:
        self.added.append(self._tensor(value, name))
        return name

    def rows_quantized(self, x: str, width: int, channels: Sequence[int]) -> _Quantized:
        """x (batch, tokens, width) as uint8 with one scale per token, but for `channels`.
        QuantizeLinear takes a per-axis scale, so the tokens are made the rows of a 2-D view."""
        from onnx import helper

        source = x
        if channels:
            mask = np.ones(width, np.float32)
            mask[list(channels)] = 0
            self.nodes += [
                helper.make_node("Mul", [x, self.constant(mask, x + "/mask")], [x + "/int"]),
                helper.make_node("Gather", [x, self.constant(np.array(channels, np.int64), x + "/ch")],
                                 [x + "/float"], axis=-1)]
            source = x + "/int"
        rows = self.constant(np.array([-1, width], np.int64), x + "/rows")
        self.nodes += [
            helper.make_node("Shape", [source], [x + "/shape"]),
            helper.make_node("Reshape", [source, rows], [x + "/2d"]),
            helper.make_node("ReduceMax", [x + "/2d"], [x + "/hi"], axes=[1], keepdims=0),
            helper.make_node("ReduceMin", [x + "/2d"], [x + "/lo"], axes=[1], keepdims=0),
            helper.make_node("Neg", [x + "/lo"], [x + "/-lo"]),
            helper.make_node("Max", [x + "/hi", x + "/-lo", "q/tiny"], [x + "/amax"]),
            helper.make_node("Div", [x + "/amax", "q/127"], [x + "/scale"]),
            # A zero point per row: QuantizeLinear wants the scale's shape.
            helper.make_node("Shape", [x + "/scale"], [x + "/rows#"]),
            helper.make_node("Expand", ["q/zero", x + "/rows#"], [x + "/zp"]),
            helper.make_node("QuantizeLinear", [x + "/2d", x + "/scale", x + "/zp"], [x + "/q2d"], axis=0),
            helper.make_node("Reshape", [x + "/q2d", x + "/shape"], [x + "/q"]),
            helper.make_node("Slice", [x + "/shape", "q/0", "q/2"], [x + "/bt"]),
            helper.make_node("Concat", [x + "/bt", "q/1"], [x + "/bt1"], axis=0),
            helper.make_node("Reshape", [x + "/scale", x + "/bt1"], [x + "/s"])]
        return _Quantized(x + "/q", x + "/s", tuple(int(c) for c in channels), x + "/float")

    def int8_product(self, out: str, x: _Quantized, matrix: str, scale: str) -> None:
        """out = x @ W: the int8 product scaled per token and per column, plus the float channels'."""
        from onnx import helper

        columns = self._array(self.weights[scale]).reshape(-1).astype(np.float32)
        zeros = self.constant(np.zeros(columns.shape, np.int8), out + "/wz")
        product = out + "/int" if x.channels else out
        self.nodes += [
            helper.make_node("MatMulIntegerToFloat", [x.values, matrix, "q/one", self.constant(columns, out + "/ws"),
                                                      "q/zero", zeros], [out + "/u"], domain="com.microsoft"),
            helper.make_node("Mul", [out + "/u", x.scales], [product])]
        if x.channels:
            rows = self._array(self.weights[matrix])[list(x.channels)].astype(np.float32) * columns
            self.nodes += [
                helper.make_node("MatMul", [x.kept, self.constant(rows, out + "/wf")], [out + "/f"]),
                helper.make_node("Add", [product, out + "/f"], [out])]


class _Dequantized:
    """(int8 initializer, scale) for a tensor computed as Mul(Cast(int8 initializer), scale), else None."""

    def __init__(self, graph: Any) -> None:
        from onnx import TensorProto

        self.int8 = {i.name for i in graph.initializer if i.data_type == TensorProto.INT8}
        self.initializers = {i.name for i in graph.initializer}
        self.producer = {out: node for node in graph.node for out in node.output}

    def __call__(self, name: str) -> tuple[str, str] | None:
        mul = self.producer.get(name)
        if mul is None or mul.op_type != "Mul":
            return None
        cast = self.producer.get(mul.input[0])
        if cast is None or cast.op_type != "Cast" or cast.input[0] not in self.int8 \
                or mul.input[1] not in self.initializers:
            return None
        return cast.input[0], mul.input[1]


def product_inputs(graph: Any) -> list[str]:
    """The inputs x of the graph's weight products MatMul(x, Mul(Cast(int8 weight), scale))."""
    dequantized = _Dequantized(graph)
    return sorted({node.input[0] for node in graph.node if node.op_type == "MatMul" and dequantized(node.input[1])})


def _without_dead(nodes: list, outputs: set[str]) -> list:
    """Drop nodes none of whose outputs is read (repeatedly: a dead Mul leaves its Cast dead)."""
    while True:
        read = outputs | {name for node in nodes for name in node.input}
        alive = [n for n in nodes if any(o in read for o in n.output)]
        if len(alive) == len(nodes):
            return alive
        nodes = alive
