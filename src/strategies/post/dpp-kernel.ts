import { topIndices } from '../../_internals/top-k.js';
import type { GreedyResult } from './greedy-result.js';

/**
 * Smallest marginal gain `d_j²` the DPP greedy accepts (Chen, Zhang & Zhou 2018, Algorithm 1's ε):
 * once the best remaining gain falls below it, the kernel is numerically exhausted.
 */
export const DPP_MIN_GAIN = 1e-10;

/** Inputs of the DPP greedy loops: unit-normalised row-major `embeddings` (n × dim). */
export interface DppInput {
  /** Number of candidates. */
  readonly n: number;
  /** Embedding dimension. */
  readonly dim: number;
  /** Relevance per candidate, finite. */
  readonly relevance: Float64Array;
  /** Unit-normalised embeddings, row-major n × dim. */
  readonly embeddings: Float64Array;
  /** Quality exponent α = θ / (2(1−θ)). */
  readonly alpha: number;
}

/**
 * Item qualities `q_i = exp(α·(r_i − max_j r_j))` of docs/formulas.md#dpp, in (0, 1], and the largest
 * relevance they are relative to. Writes them into `quality`; returns `max_j r_j`.
 */
export function writeQualities(input: DppInput, quality: Float64Array): number {
  const { n, relevance, alpha } = input;
  let maxRelevance = -Infinity;
  for (let i = 0; i < n; i++) if ((relevance[i] as number) > maxRelevance) maxRelevance = relevance[i] as number;
  for (let i = 0; i < n; i++) quality[i] = Math.exp(alpha * ((relevance[i] as number) - maxRelevance));
  return maxRelevance;
}

/**
 * Kernel entry `L_ij = q_i·q_j·S_ij` with `S_ij = (1 + cos(e_i, e_j)) / 2` (docs/formulas.md#dpp), given
 * the cosine. The one formula every DPP loop uses, so they agree bit for bit.
 */
export function kernelEntry(qi: number, qj: number, cosine: number): number {
  return qi * qj * ((1 + cosine) * 0.5);
}

/**
 * Output buffers of a DPP selection, filled slot by slot. `relevance` = `log q_j² = 2α(r_j − max r)`;
 * `diversity` = `log d_j² − log q_j²`, the log of the item's conditional variance under the
 * similarity kernel S alone; the score is `log d_j²`, the gain in `log det L_S` from adding j.
 */
export class DppSlots {
  /** Selected candidate indices, by slot. */
  readonly indices: Int32Array;
  /** `log d_j²` by slot. */
  readonly scores: Float64Array;
  /** `log q_j²` by slot. */
  readonly relevancePart: Float64Array;
  /** `log d_j² − log q_j²` by slot. */
  readonly diversityPart: Float64Array;
  private readonly taken: Uint8Array;
  private filled = 0;

  /** Buffers for `k` slots over `n` candidates; `maxRelevance` is the `max_j r_j` of the qualities. */
  constructor(
    private readonly input: DppInput,
    private readonly maxRelevance: number,
    n: number,
    private readonly k: number,
  ) {
    this.indices = new Int32Array(k);
    this.scores = new Float64Array(k);
    this.relevancePart = new Float64Array(k);
    this.diversityPart = new Float64Array(k);
    this.taken = new Uint8Array(n);
  }

  /** Number of slots filled so far. */
  get count(): number {
    return this.filled;
  }

  /** Places item `index`, whose marginal gain was `gain` (= d_j²), in the next slot. */
  push(index: number, gain: number): void {
    const slot = this.filled++;
    const relevancePart = 2 * this.input.alpha * ((this.input.relevance[index] as number) - this.maxRelevance);
    const score = Math.log(gain);
    this.indices[slot] = index;
    this.scores[slot] = score;
    this.relevancePart[slot] = relevancePart;
    this.diversityPart[slot] = score - relevancePart;
    this.taken[index] = 1;
  }

  /**
   * Fills the slots left once the kernel is exhausted in relevance order (ties → lower index). Their
   * true gain is below {@link DPP_MIN_GAIN} (possibly 0), so their gain is reported as that bound.
   */
  fillByRelevance(): void {
    const rest = topIndices(this.input.relevance, this.k - this.filled, this.taken);
    for (let r = 0; r < rest.length; r++) this.push(rest[r] as number, DPP_MIN_GAIN);
  }

  /** The finished selection with work counters. */
  result(refreshes: number, updates: number): GreedyResult {
    return {
      indices: this.indices,
      scores: this.scores,
      parts: { relevance: this.relevancePart, diversity: this.diversityPart },
      refreshes,
      updates,
    };
  }
}
