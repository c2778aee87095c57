import {
  locateAnswer,
  readJudgement,
  safeJsonParse,
  type ScoreRejectReason,
} from './parse.js';

/**
 * Why a listwise answer was rejected: any {@link ScoreRejectReason} (for the whole answer or for one
 * entry), or
 * - `missing_items`: some requested items have no valid entry;
 * - `unknown_item`: an entry names a ref that was not asked for;
 * - `duplicate_item`: two entries name the same ref (both are discarded).
 */
export type ListwiseRejectReason = ScoreRejectReason | 'missing_items' | 'unknown_item' | 'duplicate_item';

/**
 * Result of {@link parseListwiseScores}. On rejection, `partial` still holds every entry that was
 * valid on its own (aligned with the requested refs, `null` elsewhere) and `missing` lists the refs
 * without a score, so a scorer can keep the good pairs and fail only the rest.
 */
export type ListwiseParseResult =
  | { readonly ok: true; readonly scores: readonly number[] }
  | {
      readonly ok: false;
      readonly reason: ListwiseRejectReason;
      readonly partial: readonly (number | null)[];
      readonly missing: readonly string[];
    };

/** Order in which per-entry problems are reported when several occur (most serious first). */
const REASON_PRIORITY: readonly ListwiseRejectReason[] = [
  'duplicate_item',
  'unknown_item',
  'schema_mismatch',
  'out_of_range',
  'missing_items',
];

/**
 * Parses a listwise answer `{"scores": [{"ref": "i1", "score": 0.4}, …]}` (each entry may use the
 * indirect triple instead of `score`, see `readJudgement`) located as in
 * {@link parseSerendipityScore}. `refs` are the item refs the prompt used, in order; scores come back
 * aligned with them. Never throws, never evaluates anything.
 */
export function parseListwiseScores(text: string, refs: readonly string[]): ListwiseParseResult {
  const none = (reason: ListwiseRejectReason): ListwiseParseResult => ({
    ok: false,
    reason,
    partial: refs.map(() => null),
    missing: [...refs],
  });
  const located = locateAnswer(text);
  if (located.kind === 'rejected') return none(located.reason);
  if (located.kind === 'bare') return none('unrecognized');
  const parsed = safeJsonParse(located.text);
  if (parsed === undefined) return none('invalid_json');
  const entries = (parsed.value as { scores?: unknown } | null)?.scores;
  if (!Array.isArray(entries)) return none('schema_mismatch');

  const position = new Map<string, number>();
  refs.forEach((ref, index) => position.set(ref, index));
  const scores: (number | null)[] = refs.map(() => null);
  const seen = new Uint8Array(refs.length);
  const problems = new Set<ListwiseRejectReason>();
  for (const entry of entries) {
    const ref = (entry as { ref?: unknown } | null)?.ref;
    if (typeof ref !== 'string') {
      problems.add('schema_mismatch');
      continue;
    }
    const index = position.get(ref);
    if (index === undefined) {
      problems.add('unknown_item');
      continue;
    }
    seen[index] = (seen[index] as number) + (seen[index] === 2 ? 0 : 1);
    const judged = readJudgement(entry);
    if (judged.ok) scores[index] = judged.score;
    else problems.add(judged.reason);
  }
  for (let index = 0; index < refs.length; index++) {
    if (seen[index] === 2) {
      scores[index] = null;
      problems.add('duplicate_item');
    } else if (scores[index] === null) {
      problems.add('missing_items');
    }
  }
  const reason = REASON_PRIORITY.find((candidate) => problems.has(candidate));
  if (reason === undefined) return { ok: true, scores: scores as number[] };
  return {
    ok: false,
    reason,
    partial: scores,
    missing: refs.filter((_, index) => scores[index] === null),
  };
}
