#!/usr/bin/python3
"""hnswlib side of `retrieval-bench index`; run with Debian's /usr/bin/python3 (python3-hnswlib, python3-numpy).

--mode build: builds from --data, saves the index to --index, prints {"buildSeconds": s}.
--mode search: loads --index, queries at one --ef on 1 thread and on --threads threads (best of --repeats
after one warm-up pass), prints {"ef", "recall", "qps1", "qpsAll"} against the exact rows in --truth.
The C# side alternates these search calls with its own per ef, so both see the same machine load.
"""
import argparse
import json
import time

import hnswlib
import numpy as np


def best_qps(index, queries, k, threads, repeats):
    index.set_num_threads(threads)
    index.knn_query(queries, k=k)  # warm-up
    best, labels = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        labels, _ = index.knn_query(queries, k=k)
        best = min(best, time.perf_counter() - start)
    return len(queries) / best, labels


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mode", choices=["build", "search"], required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--data")
    ap.add_argument("--queries")
    ap.add_argument("--truth", help="int64 (queries x k) row numbers of the exact neighbours")
    ap.add_argument("--space", choices=["cosine", "l2"], required=True)
    ap.add_argument("--dim", type=int, required=True)
    ap.add_argument("--m", type=int, default=16)
    ap.add_argument("--ef-construction", type=int, default=200)
    ap.add_argument("--ef", type=int, default=10)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()

    index = hnswlib.Index(space=a.space, dim=a.dim)
    if a.mode == "build":
        data = np.load(a.data)
        index.init_index(max_elements=len(data), M=a.m, ef_construction=a.ef_construction, random_seed=a.seed)
        index.set_num_threads(a.threads)
        start = time.perf_counter()
        index.add_items(data, np.arange(len(data)))
        build = time.perf_counter() - start
        index.save_index(a.index)
        print(json.dumps({"buildSeconds": build}))
        return
    queries = np.load(a.queries)
    truth = np.load(a.truth)[:, : a.k]
    index.load_index(a.index)
    index.set_ef(max(a.ef, a.k))
    q1, labels = best_qps(index, queries, a.k, 1, a.repeats)
    qn, _ = best_qps(index, queries, a.k, a.threads, a.repeats)
    recall = float(np.mean([len(set(labels[i]) & set(truth[i])) / a.k for i in range(len(queries))]))
    print(json.dumps({"ef": a.ef, "recall": recall, "qps1": q1, "qpsAll": qn}))


if __name__ == "__main__":
    main()
