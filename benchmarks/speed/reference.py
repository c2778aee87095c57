#!/usr/bin/env python3
"""Independent numpy reference for benchmarks/speed.ts: vectorised MMR and fast greedy DPP.

Written from the formulas, not from the TypeScript: MMR (Carbonell & Goldstein 1998) with the
empty-set penalty 0 and argmax ties to the lower index (np.argmax returns the first maximum); DPP with
L = diag(q) S diag(q), S = (1 + cos) / 2, q = exp(alpha (r - max r)), alpha = theta / (2 (1 - theta)),
greedy by Chen, Zhang & Zhou (NeurIPS 2018) Algorithm 1, stop when the best d^2 < 1e-10 and fill the
rest by relevance.

Usage: OPENBLAS_NUM_THREADS=1 python3 reference.py SPEC.json
SPEC: {"n", "dim", "k", "lambda", "theta", "budget_ms", "max_repeats", "relevance": PATH, "embeddings": PATH}
where the paths hold little-endian float64 arrays (n, and n*dim raw row-major vectors).
Prints JSON with, per algorithm, two median times in milliseconds:
  "<alg>_norm_ms": raw vectors in, normalised inside the timed region (compare: rerank() with raw vectors);
  "<alg>_pre_ms": vectors normalised before the timer starts (compare: rerank() with a packed catalogue);
and "mmr", "dpp" (selected indices) and "numpy" (version).
"""
import json
import math
import sys
import time

import numpy as np


def normalise(emb):
    return emb / np.linalg.norm(emb, axis=1, keepdims=True)


def mmr(rel, emb, k, lam):
    n = rel.shape[0]
    base = lam * rel
    max_sim = np.zeros(n)
    taken = np.zeros(n, dtype=bool)
    picks = []
    for step in range(min(k, n)):
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
    k = min(k, n)
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


def median_ms(fn, budget_ms, max_repeats):
    """Median wall time: one warm-up call, then calls until budget_ms is spent (3 to max_repeats)."""
    fn()
    samples = []
    spent = 0.0
    while len(samples) < max_repeats and (len(samples) < 3 or spent < budget_ms):
        t0 = time.perf_counter()
        fn()
        elapsed = (time.perf_counter() - t0) * 1000.0
        samples.append(elapsed)
        spent += elapsed
    samples.sort()
    return samples[len(samples) // 2]


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    n, dim, k = spec["n"], spec["dim"], spec["k"]
    rel = np.fromfile(spec["relevance"], dtype="<f8", count=n)
    raw = np.fromfile(spec["embeddings"], dtype="<f8", count=n * dim).reshape(n, dim)
    unit = np.ascontiguousarray(normalise(raw))
    budget, repeats = spec.get("budget_ms", 400), spec.get("max_repeats", 60)
    lam, theta = spec["lambda"], spec["theta"]
    result = {
        "mmr_norm_ms": median_ms(lambda: mmr(rel, normalise(raw), k, lam), budget, repeats),
        "mmr_pre_ms": median_ms(lambda: mmr(rel, unit, k, lam), budget, repeats),
        "dpp_norm_ms": median_ms(lambda: dpp(rel, normalise(raw), k, theta), budget, repeats),
        "dpp_pre_ms": median_ms(lambda: dpp(rel, unit, k, theta), budget, repeats),
        "mmr": mmr(rel, unit, k, lam),
        "dpp": dpp(rel, unit, k, theta),
        "numpy": np.__version__,
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
