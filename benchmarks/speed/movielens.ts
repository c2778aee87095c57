import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { baseCandidates, minMaxNormalise, prepareSplitModel, splitVectors } from '../../src/evaluate/context.js';
import { loadMovieLens } from '../../src/evaluate/movielens.js';
import { temporalSplit } from '../../src/evaluate/split.js';
import type { SpeedInput } from './inputs.js';

const DATA_DIR = fileURLToPath(new URL('../data/ml-latest-small/', import.meta.url));
/** EASE λ of the reference protocol (docs/evaluation.md#protocol). */
const EASE_LAMBDA = 100;
const SVD_SEED = 1;

/**
 * One real request: the first kept MovieLens user (test split of src/evaluate) with at least
 * `count` unseen items, their top-`count` EASE candidates (relevance min-max normalised) and the
 * SVD item vectors of dimension `dim` (not normalised). Built with the offline evaluation's own
 * loading, split, EASE and SVD code.
 */
export async function loadMovieLensCase(count: number, dim: number): Promise<{ userId: string; input: SpeedInput } | { skipped: string }> {
  if (!existsSync(DATA_DIR)) return { skipped: `no MovieLens data at ${DATA_DIR}` };
  const data = await loadMovieLens(DATA_DIR);
  const split = temporalSplit(data.timelines);
  const model = prepareSplitModel(split, data.items.length);
  const base = baseCandidates(model, EASE_LAMBDA, count);
  const { vectors, dim: vectorDim } = splitVectors(model, SVD_SEED, dim);
  const user = base.columns.findIndex((columns) => columns.length >= count);
  if (user < 0) return { skipped: `no user has ${count} unseen items in the EASE item space` };
  const columns = base.columns[user] as Int32Array;
  const relevance = minMaxNormalise(base.scores[user] as Float64Array);
  const embeddings = new Float64Array(count * vectorDim);
  for (let i = 0; i < count; i++) {
    const c = columns[i] as number;
    embeddings.set(vectors.subarray(c * vectorDim, c * vectorDim + vectorDim), i * vectorDim);
  }
  const userId = (split.train[user] as { user: string }).user;
  return { userId, input: { n: count, dim: vectorDim, shape: 'skewed', relevance, embeddings } };
}
