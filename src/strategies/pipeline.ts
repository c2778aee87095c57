import { checkedRequirements, guardOptions } from '../_internals/options.js';
import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';
import type { PackedRequest, Reranker, ScoringReranker, Selection } from '../types.js';
import { mergeRequirements } from './in/requirements.js';

/** A pipeline whose last stage can also score is itself a {@link ScoringReranker}. */
export type Pipeline = Reranker & Partial<Pick<ScoringReranker, 'score'>>;

function isScoring(stage: unknown): stage is ScoringReranker {
  return (
    stage !== null &&
    typeof stage === 'object' &&
    typeof (stage as ScoringReranker).score === 'function' &&
    typeof (stage as ScoringReranker).select === 'function'
  );
}

/** The request a stage sees: the same packed arrays, with relevance replaced. Nothing is re-packed. */
function withRelevance(request: PackedRequest, relevance: Float64Array): PackedRequest {
  return { ...request, candidates: { ...request.candidates, relevance } };
}

function checkedScores(scores: unknown, n: number, stage: string): Float64Array {
  if (!(scores instanceof Float64Array) || scores.length !== n) {
    throw new RerankError('INVALID_STRATEGY_OUTPUT', `pipeline: stage ${stage} returned ${scores instanceof Float64Array ? scores.length : 'no'} scores for ${n} candidates; score() must return a Float64Array of length n.`, {
      field: 'stages',
    });
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) {
      throw new RerankError('INVALID_STRATEGY_OUTPUT', `pipeline: stage ${stage} gave candidate ${i} the score ${scores[i]}; scores must be finite.`, {
        field: 'stages',
      });
    }
  }
  return scores;
}

/**
 * Chains scoring stages and a final selection over ONE packed request (Fu, Niu & Maher, ACM CSUR
 * 2023: pre-, in- and post-processing combined). Each scoring stage's `score()` becomes the
 * relevance the next stage sees; the last argument then selects `k` items from that relevance.
 * The request is packed once by `rerank()` with the union of every stage's `requires` (a field
 * `required` anywhere is required). The pipeline is itself a {@link Reranker}; when the final stage
 * can score, so can the pipeline.
 *
 * Score parts: the final stage's parts (whose `relevance`, if any, is the last scoring stage's
 * output, not the input relevance; `RankedItem.relevance` still reports the input), plus one part
 * per scoring stage, `stage1`, `stage2`, …, holding the score that stage gave the item. Those extra
 * parts explain the path; they are not terms of the final score. Sources pass through.
 *
 * @param stages - Scoring stages in order, then the selecting stage (any {@link Reranker}).
 * @throws {@link RerankError} `INVALID_ARGUMENT` when there is no selecting stage or an earlier stage
 *   has no `score()`; at run time `INVALID_STRATEGY_OUTPUT` when a stage scores badly.
 *
 * @example
 * ```ts
 * rerank({ candidates, user, k: 10, strategy: pipeline(learned({ model }), mmr({ lambda: 0.8 })) });
 * ```
 */
export function pipeline(...stages: readonly [...ScoringReranker[], Reranker]): Pipeline {
  return guardOptions('pipeline', () => buildPipeline(stages), 'stages');
}

/** A stage's name for the pipeline's name and messages, whatever the stage holds. */
function stageName(stage: Reranker): string {
  return typeof stage.name === 'string' ? stage.name : describeValue(stage.name);
}

function buildPipeline(stages: readonly [...ScoringReranker[], Reranker]): Pipeline {
  if (stages.length === 0) {
    throw new RerankError('INVALID_ARGUMENT', 'pipeline needs at least a selecting stage, e.g. pipeline(learned({ model }), mmr()).', {
      field: 'stages',
    });
  }
  stages.forEach((stage, i) => {
    if (stage === null || typeof stage !== 'object' || typeof stage.select !== 'function') {
      throw new RerankError('INVALID_ARGUMENT', `pipeline: argument ${i} is not a Reranker.`, { field: `stages[${i}]` });
    }
  });
  const scoring = stages.slice(0, -1);
  const final = stages[stages.length - 1] as Reranker;
  scoring.forEach((stage, i) => {
    if (!isScoring(stage)) {
      throw new RerankError(
        'INVALID_ARGUMENT',
        `pipeline: stage ${i} (${stageName(stage)}) cannot score, so it cannot feed a later stage. Only the last argument may be a select-only strategy such as mmr().`,
        { field: `stages[${i}]` },
      );
    }
  });
  const scoringStages = scoring as ScoringReranker[];

  const run = (request: PackedRequest): { request: PackedRequest; trail: Float64Array[] } => {
    const trail: Float64Array[] = [];
    let current = request;
    for (const stage of scoringStages) {
      const scores = checkedScores(stage.score(current), request.candidates.n, stage.name);
      trail.push(scores);
      current = withRelevance(current, scores);
    }
    return { request: current, trail };
  };

  const pipelineStage: Pipeline = {
    name: `pipeline(${stages.map(stageName).join(' → ')})`,
    stage: final.stage,
    requires: mergeRequirements(stages.map((stage, i) => checkedRequirements('pipeline', stage.requires, `stages[${i}].requires`, 'INVALID_ARGUMENT'))),
    select(request: PackedRequest, k: number): Selection {
      const { request: last, trail } = run(request);
      const selection = final.select(last, k);
      const parts: Record<string, Float64Array> = { ...selection.parts };
      trail.forEach((scores, s) => {
        const picked = new Float64Array(selection.indices.length);
        for (let slot = 0; slot < picked.length; slot++) picked[slot] = scores[selection.indices[slot] as number] as number;
        parts[`stage${s + 1}`] = picked;
      });
      return { ...selection, parts };
    },
  };
  if (isScoring(final)) {
    return { ...pipelineStage, score: (request: PackedRequest) => final.score(run(request).request) };
  }
  return pipelineStage;
}
