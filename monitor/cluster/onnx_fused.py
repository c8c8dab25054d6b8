"""Fused attention and GELU for the exported MiniLM graph, put in at load (onnx_int8.rewrite).

The file spells each layer's attention as ~30 small nodes (reshapes, transposes, the padding
mask built from the attention mask, a scaled product, softmax, a NaN guard) and each GELU as
Div, Erf, Add, Mul, Mul. onnxruntime's own fusions do not recognise this exporter's patterns,
so they are replaced here by onnxruntime's `MultiHeadAttention` (with the Q, K, V biases and
the padding mask as a key padding mask) and `BiasGelu`: the same arithmetic (scale
1/sqrt(head size), exact erf GELU) in one kernel each. The nodes they replace are left without
readers and dropped with the dequantizing ones.
"""
from __future__ import annotations

from typing import Any

import numpy as np

HEADS = 12
_MASK = "attention_mask/int32"


def fuse(graph: Any) -> None:
    """Replace, in place, each attention block and each GELU of `graph` by one fused node."""
    from onnx import TensorProto, helper, numpy_helper

    made = {out: node for node in graph.node for out in node.output}
    readers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            readers.setdefault(name, []).append(node)
    constants = {i.name: i for i in graph.initializer}

    def walk_back(name: str) -> Any:
        """The bias Add that `name` reshapes, transposes or scales (through each node's first input)."""
        node = made[name]
        while node.op_type in ("Reshape", "Transpose", "Mul"):
            node = made[node.input[0]]
        if node.op_type != "Add" or node.input[1] not in constants:
            raise ValueError(f"unexpected attention pattern at {name}: {node.op_type}")
        return node

    def only_reader(name: str, op_type: str) -> Any:
        found = [r for r in readers.get(name, []) if r.op_type == op_type]
        if len(found) != 1:
            raise ValueError(f"unexpected attention pattern after {name}")
        return found[0]

    replaced: dict[str, Any] = {}  # output name -> the fused node that now makes it
    added = []
    for softmax in (n for n in graph.node if n.op_type == "Softmax"):
        scores = made[made[softmax.input[0]].input[0]]  # Softmax(Add(MatMul(q, k), mask))
        guarded = only_reader(softmax.output[0], "Where")  # Where(IsNaN(p), 0, p)
        weighted = only_reader(guarded.output[0], "MatMul")
        merged = only_reader(only_reader(weighted.output[0], "Transpose").output[0], "Reshape")
        q, k, v = walk_back(scores.input[0]), walk_back(scores.input[1]), walk_back(weighted.input[1])
        bias = np.concatenate([numpy_helper.to_array(constants[a.input[1]]) for a in (q, k, v)]).astype(np.float32)
        added.append(numpy_helper.from_array(bias, merged.output[0] + "/qkv_bias"))
        replaced[merged.output[0]] = helper.make_node(
            "MultiHeadAttention", [q.input[0], k.input[0], v.input[0], merged.output[0] + "/qkv_bias", _MASK],
            [merged.output[0]], domain="com.microsoft", num_heads=HEADS)
    for erf in (n for n in graph.node if n.op_type == "Erf"):  # x * 0.5 * (1 + erf(x / sqrt 2)), x = h + b
        x = made[made[erf.input[0]].input[0]]
        gelu = [r for r in readers[x.output[0]] if r.op_type == "Mul"]
        if x.op_type != "Add" or x.input[1] not in constants or len(gelu) != 1:
            raise ValueError(f"unexpected GELU pattern at {erf.output[0]}")
        replaced[gelu[0].output[0]] = helper.make_node("BiasGelu", [x.input[0], x.input[1]], [gelu[0].output[0]],
                                                       domain="com.microsoft")
    nodes = [helper.make_node("Cast", ["attention_mask"], [_MASK], to=TensorProto.INT32)]
    nodes += [replaced.get(node.output[0], node) for node in graph.node]
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(added)
