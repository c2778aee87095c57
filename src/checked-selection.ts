import { describeValue, quoteText } from './errors/describe-value.js';
import { isRerankError, RerankError } from './errors/rerank-error.js';
import type { Selection } from './types.js';

/** A {@link Selection} copied into arrays `rerank()` owns, after checking it. */
export interface CheckedSelection {
  readonly indices: Int32Array;
  readonly scores: Float64Array;
  readonly partNames: readonly string[];
  /** `parts[p][slot]` is part `partNames[p]` of the item at `slot`. */
  readonly parts: readonly Float64Array[];
  readonly sources: readonly (string | undefined)[] | undefined;
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return (Array.isArray(value) || ArrayBuffer.isView(value)) && typeof (value as ArrayLike<unknown>).length === 'number';
}

function lengthOf(value: unknown): string {
  return isArrayLike(value) ? `length ${value.length}` : describeValue(value);
}

/**
 * Checks what a strategy's `select` returned and copies it: `m` distinct integer indices in
 * [0, n), `m` finite scores, every part an array of `m` numbers, sources (when given) `m`
 * strings or undefined. Plain arrays are copied, so a custom strategy's Proxy or getter is read
 * once, here; typed arrays (which can hold neither) are used as they are.
 *
 * @throws {@link RerankError} `INVALID_STRATEGY_OUTPUT` naming what is wrong (reading a throwing
 *   getter included, with the error as `cause`).
 */
export function checkedSelection(selection: Selection, n: number, m: number, strategy: string): CheckedSelection {
  try {
    return copySelection(selection, n, m, strategy);
  } catch (error) {
    if (isRerankError(error)) throw error;
    throw invalid(strategy, "reading it threw (a getter or Proxy); see the error's cause", error);
  }
}

function invalid(strategy: string, what: string, cause?: unknown): RerankError {
  return new RerankError('INVALID_STRATEGY_OUTPUT', `strategy ${quoteText(strategy)} returned an invalid selection: ${what}.`, {
    field: 'strategy',
    ...(cause === undefined ? {} : { cause }),
  });
}

function copySelection(selection: Selection, n: number, m: number, strategy: string): CheckedSelection {
  const fail = (what: string): never => {
    throw invalid(strategy, what);
  };
  if (selection === null || typeof selection !== 'object') fail(`${describeValue(selection)} instead of { indices, scores, parts }`);
  const { indices: rawIndices, scores: rawScores, parts: rawParts, sources: rawSources } = selection;
  if (!isArrayLike(rawIndices) || rawIndices.length !== m) fail(`indices of ${lengthOf(rawIndices)} for k=${m}`);
  if (!isArrayLike(rawScores) || rawScores.length !== m) fail(`scores of ${lengthOf(rawScores)} for ${m} indices`);
  // Typed arrays cannot carry getters or be Proxies (`ArrayBuffer.isView` is false for a Proxy), so
  // they are checked in place; anything else is copied as it is checked.
  const indices = ArrayBuffer.isView(rawIndices) && rawIndices instanceof Int32Array ? rawIndices : new Int32Array(m);
  const scores = ArrayBuffer.isView(rawScores) && rawScores instanceof Float64Array ? rawScores : new Float64Array(m);
  const taken = new Uint8Array(n);
  for (let slot = 0; slot < m; slot++) {
    const index: unknown = rawIndices[slot];
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= n || taken[index] === 1) {
      fail(`index ${describeValue(index)} at slot ${slot} is out of range or repeated`);
    }
    taken[index as number] = 1;
    indices[slot] = index as number;
    const score: unknown = rawScores[slot];
    if (typeof score !== 'number' || !Number.isFinite(score)) fail(`score ${describeValue(score)} at slot ${slot} is not finite`);
    scores[slot] = score as number;
  }
  if (rawParts === null || typeof rawParts !== 'object') fail(`parts is ${describeValue(rawParts)}, not an object of arrays`);
  const partNames = Object.keys(rawParts);
  const parts = partNames.map((name) => {
    const part: unknown = rawParts[name];
    if (!isArrayLike(part) || part.length !== m) fail(`part ${quoteText(name)} is ${lengthOf(part)}, not an array of length ${m}`);
    if (ArrayBuffer.isView(part) && part instanceof Float64Array) return part;
    const copy = new Float64Array(m);
    for (let slot = 0; slot < m; slot++) {
      const value: unknown = (part as ArrayLike<unknown>)[slot];
      if (typeof value !== 'number') fail(`part ${quoteText(name)} holds ${describeValue(value)} at slot ${slot}`);
      copy[slot] = value as number;
    }
    return copy;
  });
  let sources: (string | undefined)[] | undefined;
  if (rawSources !== undefined) {
    if (!Array.isArray(rawSources) || rawSources.length !== m) fail(`sources of ${lengthOf(rawSources)}, not an array of length ${m}`);
    sources = new Array<string | undefined>(m);
    for (let slot = 0; slot < m; slot++) {
      const source: unknown = rawSources[slot];
      if (source !== undefined && typeof source !== 'string') fail(`source ${describeValue(source)} at slot ${slot} is not a string`);
      sources[slot] = source as string | undefined;
    }
  }
  return { indices, scores, partNames, parts, sources };
}
