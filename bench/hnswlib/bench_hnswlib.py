#!/usr/bin/python3
"""hnswlib side of `retrieval-bench index`: builds and queries the vectors the C# side wrote, prints JSON.

Run with Debian's /usr/bin/python3 (python3-hnswlib, python3-numpy).
"""
import argparse
import json
import time

import hnswlib
import numpy as np


def qps(index, queries, k, threads, repeats):
    index.set_num_threads(threads)
    best = float("inf")
    labels = None
    for _ in range(repeats):
        start = time.perf_counter()
        labels, _ = index.knn_query(queries, k=k)
        best = min(best, time.perf_counter() - start)
    return len(queries) / best, labels


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--truth", required=True, help="int64 (queries x k) row numbers of the exact neighbours")
    ap.add_argument("--space", choices=["cosine", "l2"], required=True)
    ap.add_argument("--m", type=int, required=True)
    ap.add_argument("--ef-construction", type=int, required=True)
    ap.add_argument("--ef", required=True, help="comma-separated ef values")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    data = np.load(a.data)
    queries = np.load(a.queries)
    truth = np.load(a.truth)[:, : a.k]
    index = hnswlib.Index(space=a.space, dim=data.shape[1])
    index.init_index(max_elements=len(data), M=a.m, ef_construction=a.ef_construction, random_seed=a.seed)
    index.set_num_threads(a.threads)
    start = time.perf_counter()
    index.add_items(data, np.arange(len(data)))
    build = time.perf_counter() - start

    rows = []
    for ef in [int(e) for e in a.ef.split(",")]:
        index.set_ef(max(ef, a.k))
        q1, labels = qps(index, queries, a.k, 1, a.repeats)
        qn, _ = qps(index, queries, a.k, a.threads, a.repeats)
        recall = float(np.mean([len(set(labels[i]) & set(truth[i])) / a.k for i in range(len(queries))]))
        rows.append({"ef": ef, "recall": recall, "qps1": q1, "qpsAll": qn})
    with open(a.out, "w") as f:
        json.dump({"library": "hnswlib " + getattr(hnswlib, "__version__", "0.6.2"), "buildSeconds": build, "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
