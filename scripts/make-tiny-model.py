#!/usr/bin/env python3
"""Writes a tiny, valid RetrievalSystem embedding model (ONNX opset 17) without training: images [N,3,S,S] ->
global average pool -> flatten -> 3xE matrix -> L2 normalise -> embeddings [N,E], with the metadata the server
requires. For checks of the serving stack that need a model but not a good one (scripts/serve-gpu-check.sh).

  /usr/bin/python3 scripts/make-tiny-model.py OUT.onnx [--size 32] [--dim 8]
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--size", type=int, default=32)
parser.add_argument("--dim", type=int, default=8)
args = parser.parse_args()

weights = np.random.default_rng(0).standard_normal((3, args.dim)).astype(np.float32)
graph = helper.make_graph(
    [
        helper.make_node("GlobalAveragePool", ["images"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "weights"], ["projected"]),
        helper.make_node("LpNormalization", ["projected"], ["embeddings"], axis=1, p=2),
    ],
    "tiny",
    [helper.make_tensor_value_info("images", TensorProto.FLOAT, ["batch", 3, args.size, args.size])],
    [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", args.dim])],
    [helper.make_tensor("weights", TensorProto.FLOAT, weights.shape, weights.flatten().tolist())],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="make-tiny-model")
model.ir_version = 8
metadata = {
    "retrieval.format_version": "1",
    "retrieval.image_size": str(args.size),
    "retrieval.resize_size": str(args.size),
    "retrieval.mean": "[0.5,0.5,0.5]",
    "retrieval.std": "[0.25,0.25,0.25]",
    "retrieval.embedding_size": str(args.dim),
    "retrieval.backbone": "tiny (untrained, scripts/make-tiny-model.py)",
}
for key, value in metadata.items():
    model.metadata_props.add(key=key, value=value)
onnx.checker.check_model(model)
onnx.save(model, args.out)
