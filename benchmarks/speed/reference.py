#!/usr/bin/env python3
"""Independent numpy reference for benchmarks/speed.ts: vectorised MMR and fast greedy DPP.

Written from docs/formulas.md, not from the TypeScript: MMR (Carbonell & Goldstein 1998) with
the empty-set penalty 0 and argmax ties to the lower index (np.argmax returns the first maximum);
DPP with L = diag(q) S diag(q), S = (1 + cos) / 2, q = exp(alpha (r - max r)),
alpha = theta / (2 (1 - theta)), greedy by Chen, Zhang & Zhou (NeurIPS 2018) Algorithm 1, stop when
the best d^2 < 1e-10 and fill the rest by relevance.

Usage: OPENBLAS_NUM_THREADS=1 python3 reference.py INPUT.json
INPUT: {"n", "dim", "k", "lambda", "theta", "repeats", "relevance": [n], "embeddings": [n*dim] raw}.
Prints JSON: {"mmr_ms", "dpp_ms", "mmr": [indices], "dpp": [indices], "numpy"}; times are medians in
milliseconds of the selection alone (vectors are normalised before timing starts).
"""
import json
import math
import sys
import time

import numpy as np


def mmr(rel, emb, k, lam):
    n = rel.shape[0]
    base = lam * rel
    max_sim = np.zeros(n)
    taken = np.zeros(n, dtype=bool)
    picks = []
    for step in range(k):
        score = base - (1.0 - lam) * max_sim
        score[taken] = -np.inf
        j = int(np.argmax(score))
        picks.append(j)
        taken[j] = True
        sims = emb @ emb[j]
        max_sim = sims if step == 0 else np.maximum(max_sim, sims)
    return picks


def dpp(rel, emb, k, theta, eps=1e-10):
    n = rel.shape[0]
    alpha = theta / (2.0 * (1.0 - theta))
    q = np.exp(alpha * (rel - rel.max()))
    cis = np.zeros((k, n))
    d2 = q * q
    taken = np.zeros(n, dtype=bool)
    picks = []
    j = int(np.argmax(d2))
    while True:
        if d2[j] < eps:
            break
        picks.append(j)
        taken[j] = True
        if len(picks) == k:
            break
        t = len(picks) - 1
        row = q[j] * q * (0.5 * (1.0 + emb @ emb[j]))
        e = (row - cis[:t, j] @ cis[:t, :]) / math.sqrt(d2[j])
        cis[t, :] = e
        d2 = d2 - e * e
        d2[taken] = -np.inf
        j = int(np.argmax(d2))
    if len(picks) < k:
        rest = [i for i in np.lexsort((np.arange(n), -rel)) if not taken[i]]
        picks.extend(int(i) for i in rest[: k - len(picks)])
    return picks


def median_ms(fn, repeats):
    for _ in range(3):
        fn()
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000.0)
    samples.sort()
    return samples[len(samples) // 2]


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    n, dim, k = spec["n"], spec["dim"], spec["k"]
    rel = np.asarray(spec["relevance"], dtype=np.float64)
    emb = np.asarray(spec["embeddings"], dtype=np.float64).reshape(n, dim)
    emb = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    emb = np.ascontiguousarray(emb)
    repeats = spec.get("repeats", 50)
    lam, theta = spec["lambda"], spec["theta"]
    result = {
        "mmr_ms": median_ms(lambda: mmr(rel, emb, k, lam), repeats),
        "dpp_ms": median_ms(lambda: dpp(rel, emb, k, theta), repeats),
        "mmr": mmr(rel, emb, k, lam),
        "dpp": dpp(rel, emb, k, theta),
        "numpy": np.__version__,
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
