import { describe, expect, it } from 'vitest';
import {
  defaultKernelBackend,
  type GreedyKernelExports,
  lendKernelRows,
  liveKernelRows,
  reserve,
  returnKernelRows,
  wasmKernelsFor,
} from '../../src/_internals/wasm/kernel-instance.js';
import { rerank } from '../../src/rerank.js';
import { dpp } from '../../src/strategies/post/dpp.js';
import { mmr } from '../../src/strategies/post/mmr.js';
import type { Candidate, Reranker, Selection } from '../../src/types.js';

/** Seeded candidates with distinct relevance and random directions. */
function candidates(n: number, dim: number, seed: number): Candidate[] {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32 - 0.5;
  };
  return Array.from({ length: n }, (_, i) => ({ id: `c${i}`, relevance: next() + 1, embedding: Array.from({ length: dim }, next) }));
}

const ids = (strategy: Reranker, list: Candidate[], k: number): string[] => rerank({ candidates: list, k, strategy }).items.map((item) => item.id);

describe('candidate rows packed straight into the kernels memory', () => {
  it.runIf(defaultKernelBackend() === 'wasm')('live views follow the memory when it grows', () => {
    const rows = lendKernelRows(4) as Float64Array;
    try {
      rows.set([1, 2, 3, 4]);
      const kernels = wasmKernelsFor(64) as GreedyKernelExports; // the lent instance, kept while lent
      expect(kernels.memory.buffer).toBe(rows.buffer);
      expect(reserve(kernels.memory, kernels.memory.buffer.byteLength + (2 << 20))).toBe(true);
      expect(rows.length).toBe(0); // growing detached the old view
      const live = liveKernelRows(rows);
      expect(Array.from(live)).toEqual([1, 2, 3, 4]);
      expect(live.buffer).toBe(kernels.memory.buffer);
      expect(liveKernelRows(live)).toBe(live);
    } finally {
      returnKernelRows();
    }
    const other = new Float64Array(2);
    expect(liveKernelRows(other)).toBe(other); // no loan: views are passed through
  });

  it('mmr and dpp select the same ids through rerank() (rows in place) as from a fresh JS copy', () => {
    const list = candidates(300, 48, 7);
    const viaRerank = [ids(mmr({ lambda: 0.5 }), list, 20), ids(dpp({ theta: 0.7 }), list, 20)];
    // the same request nested inside another request's select packs into a JS array and must agree
    const nested: string[][] = [];
    const outer: Reranker = {
      name: 'outer',
      stage: 'post',
      requires: { embeddings: 'required' },
      select: (packed, k): Selection => {
        nested.push(ids(mmr({ lambda: 0.5 }), list, 20), ids(dpp({ theta: 0.7 }), list, 20));
        return mmr({ lambda: 0.5 }).select(packed, k);
      },
    };
    expect(ids(outer, list, 20)).toEqual(viaRerank[0]);
    expect(nested).toEqual(viaRerank);
  });

  it('a strategy that runs dpp and then mmr on one packed request (the memory grows in between) gets both right', () => {
    const list = candidates(4_000, 128, 11);
    const got: string[][] = [];
    let grewInBetween = false;
    const both: Reranker = {
      name: 'both',
      stage: 'post',
      requires: { embeddings: 'required' },
      select: (packed, k): Selection => {
        const before = packed.candidates.embeddings as Float64Array;
        const first = dpp({ theta: 0.7 }).select(packed, k);
        if (defaultKernelBackend() === 'wasm') grewInBetween = before.length === 0;
        got.push(Array.from(first.indices, (i) => packed.candidates.ids[i] as string));
        const second = mmr({ lambda: 0.5 }).select(packed, k);
        got.push(Array.from(second.indices, (i) => packed.candidates.ids[i] as string));
        return second;
      },
    };
    // the largest request of this file so far, so its dpp workspace grows the memory past the rows
    ids(both, list, 40);
    const expected = { dpp: ids(dpp({ theta: 0.7 }), list, 40), mmr: ids(mmr({ lambda: 0.5 }), list, 40) };
    expect(got).toEqual([expected.dpp, expected.mmr]);
    expect(grewInBetween).toBe(defaultKernelBackend() === 'wasm'); // the case this test is about did happen
  });

  it('a strategy that copies the packed request before the memory grows (as pipeline stages do) still selects right', () => {
    const list = candidates(5_000, 128, 13);
    let grewInBetween = false;
    const got: string[] = [];
    const copying: Reranker = {
      name: 'copying',
      stage: 'post',
      requires: { embeddings: 'required' },
      select: (packed, k): Selection => {
        const copy = { ...packed, candidates: { ...packed.candidates } }; // a plain snapshot of the view
        const before = copy.candidates.embeddings as Float64Array;
        dpp({ theta: 0.7 }).select(packed, k); // grows the memory past the rows
        if (defaultKernelBackend() === 'wasm') grewInBetween = before.length === 0;
        const selection = mmr({ lambda: 0.5 }).select(copy, k);
        got.push(...Array.from(selection.indices, (i) => packed.candidates.ids[i] as string));
        return selection;
      },
    };
    ids(copying, list, 60);
    expect(got).toEqual(ids(mmr({ lambda: 0.5 }), list, 60));
    expect(grewInBetween).toBe(defaultKernelBackend() === 'wasm');
  });
});
