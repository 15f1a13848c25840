#!/usr/bin/python3
"""Debian python3-hnswlib side of `retrieval-bench index`; run with /usr/bin/python3 (python3-hnswlib, python3-numpy).

Same commands as the native driver (hnswlib_native.cpp):
  build  --data D.npy --space l2|ip --m M --ef-construction E --threads T --seed S --index OUT
         -> {"buildSeconds", "buildCpuSeconds", "saveSeconds"}
  search --index IDX --space l2|ip --dim D --queries Q.npy --truth T.npy --k K --ef EF --threads T --repeats R
         -> {"ef", "recall", "qps1", "qpsAll", "qps1Cpu"} (best of R timed passes after one warm-up, 1 thread and
            T threads, and queries per CPU-second on 1 thread)
  load   --index IDX --space l2|ip --dim D
         -> {"loadSeconds", "loadCpuSeconds", "rssBytes", "rssAnonBytes"} (resident memory the load added)
For "ip" the vectors are already L2-normalised, so 1 - dot is the cosine distance.
"""
import argparse
import json
import time

import hnswlib
import numpy as np


def resident(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return -1


def best_qps(index, queries, k, threads, repeats):
    """Queries per second of wall clock and per CPU-second, each the best of the timed passes after one warm-up."""
    index.set_num_threads(threads)
    index.knn_query(queries, k=k)  # warm-up
    wall, cpu, labels = float("inf"), float("inf"), None
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        labels, _ = index.knn_query(queries, k=k)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - cpu_start)
    return len(queries) / wall, len(queries) / max(cpu, 1e-9), labels


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["build", "search", "load"])
    ap.add_argument("--index", required=True)
    ap.add_argument("--space", choices=["l2", "ip"], required=True)
    ap.add_argument("--data")
    ap.add_argument("--dim", type=int)
    ap.add_argument("--queries")
    ap.add_argument("--truth", help="int64 (queries x k) row numbers of the exact neighbours")
    ap.add_argument("--m", type=int, default=16)
    ap.add_argument("--ef-construction", type=int, default=200)
    ap.add_argument("--ef", type=int, default=10)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()

    if a.mode == "build":
        data = np.load(a.data)
        index = hnswlib.Index(space=a.space, dim=data.shape[1])
        index.init_index(max_elements=len(data), M=a.m, ef_construction=a.ef_construction, random_seed=a.seed)
        index.set_num_threads(a.threads)
        start, cpu_start = time.perf_counter(), time.process_time()
        index.add_items(data, np.arange(len(data)))
        built, cpu = time.perf_counter(), time.process_time() - cpu_start
        index.save_index(a.index)
        print(json.dumps({"buildSeconds": built - start, "buildCpuSeconds": cpu, "saveSeconds": time.perf_counter() - built}))
        return
    index = hnswlib.Index(space=a.space, dim=a.dim)
    if a.mode == "load":
        rss, anon = resident("VmRSS"), resident("RssAnon")
        start, cpu_start = time.perf_counter(), time.process_time()
        index.load_index(a.index)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        print(json.dumps({"loadSeconds": seconds, "loadCpuSeconds": cpu, "rssBytes": resident("VmRSS") - rss,
                          "rssAnonBytes": resident("RssAnon") - anon}))
        return
    queries = np.load(a.queries)
    truth = np.load(a.truth)[:, : a.k]
    index.load_index(a.index)
    index.set_ef(a.ef)
    q1, q1_cpu, labels = best_qps(index, queries, a.k, 1, a.repeats)
    qn, _, _ = best_qps(index, queries, a.k, a.threads, a.repeats)
    recall = float(np.mean([len(set(labels[i]) & set(truth[i])) / a.k for i in range(len(queries))]))
    print(json.dumps({"ef": a.ef, "recall": recall, "qps1": q1, "qpsAll": qn, "qps1Cpu": q1_cpu}))


if __name__ == "__main__":
    main()
