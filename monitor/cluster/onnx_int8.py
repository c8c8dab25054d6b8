"""The int8 MiniLM file rewritten in memory at load, so that loading it stays small.

The file stores each weight as int8 with a float scale and turns it back into float32 inside
the graph (Cast, Mul). Left so, onnxruntime folds every weight into float32 at load, the
30k-row word table included (90 MB resident, a `monitor import` peaking at 304 MB). Rewritten:

- each `Gather(Mul(Cast(Eq), scale), ids)` (the embedding tables, per-row scales) gathers the
  int8 rows first and scales only those: the table is never made float32, the vectors are
  the same;
- with int8_matmul, each `MatMul(x, Mul(Cast(Wq), scale))` becomes `DynamicQuantizeLinear(x)`
  and `MatMulIntegerToFloat` on the int8 weights (per-column scales, symmetric): ~2x the rate
  on one core (AVX-512 VNNI here), vectors at cosine >= 0.98 of the float model's, but
  measurably worse clusters (minilm.INT8_MATMUL says why it is off).

The dequantizing nodes left without a reader are dropped. Nothing is written to disk: the
rewritten model goes to onnxruntime as bytes.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np


def rewrite(path: Path, int8_matmul: bool = True) -> bytes:
    """The model at `path`, rewritten as above, serialized for onnxruntime.InferenceSession.

    int8_matmul=False keeps the float32 products (exact; the weights then fold into float32)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(path))
    graph = model.graph
    weights = {i.name: i for i in graph.initializer}
    producer = {out: node for node in graph.node for out in node.output}

    def dequantized(name: str) -> tuple[str, str] | None:
        """(int8 initializer, scale) when `name` is Mul(Cast(int8 initializer), scale)."""
        mul = producer.get(name)
        if mul is None or mul.op_type != "Mul":
            return None
        cast = producer.get(mul.input[0])
        if cast is None or cast.op_type != "Cast" or cast.input[0] not in weights \
                or weights[cast.input[0]].data_type != TensorProto.INT8 or mul.input[1] not in weights:
            return None
        return cast.input[0], mul.input[1]

    nodes, added = [], []
    for node in graph.node:
        if node.op_type == "Gather" and (found := dequantized(node.input[0])):
            table, scale = found
            out, ids = node.output[0], node.input[1]
            nodes += [helper.make_node("Gather", [table, ids], [out + "/q"], axis=0),
                      helper.make_node("Cast", [out + "/q"], [out + "/f"], to=TensorProto.FLOAT),
                      helper.make_node("Gather", [scale, ids], [out + "/s"], axis=0),
                      helper.make_node("Mul", [out + "/f", out + "/s"], [out])]
        elif int8_matmul and node.op_type == "MatMul" and (found := dequantized(node.input[1])):
            matrix, scale = found
            out, x = node.output[0], node.input[0]
            columns = numpy_helper.to_array(weights[scale]).reshape(-1).astype(np.float32)
            added += [numpy_helper.from_array(columns, out + "/bs"),
                      numpy_helper.from_array(np.zeros(columns.shape, np.int8), out + "/bz")]
            nodes += [helper.make_node("DynamicQuantizeLinear", [x], [out + "/xq", out + "/xs", out + "/xz"]),
                      helper.make_node("MatMulIntegerToFloat",
                                       [out + "/xq", matrix, out + "/xs", out + "/bs", out + "/xz", out + "/bz"],
                                       [out], domain="com.microsoft")]
        else:
            nodes.append(node)
    nodes = _without_dead(nodes, {o.name for o in graph.output})
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(added)
    read = {name for node in nodes for name in node.input}
    kept = [i for i in graph.initializer if i.name in read]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    if not any(op.domain == "com.microsoft" for op in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return model.SerializeToString()


def _without_dead(nodes: list, outputs: set[str]) -> list:
    """Drop nodes none of whose outputs is read (repeatedly: a dead Mul leaves its Cast dead)."""
    while True:
        read = outputs | {name for node in nodes for name in node.input}
        alive = [n for n in nodes if any(o in read for o in n.output)]
        if len(alive) == len(nodes):
            return alive
        nodes = alive
