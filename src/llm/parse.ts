import { RerankError } from '../errors/rerank-error.js';

/** Longest model answer the parsers read; longer answers are rejected as `too_long`. */
export const MAX_ANSWER_CHARS = 20_000;

/** Marker that introduces the final structured answer of a chain-of-thought reply. */
export const ANSWER_MARKER = 'ANSWER:';

/**
 * Why an answer was rejected.
 * - `empty`: nothing but whitespace.
 * - `too_long`: longer than {@link MAX_ANSWER_CHARS}.
 * - `invalid_json`: a JSON answer was found (whole text, fenced block or after `ANSWER:`) but does not parse.
 * - `schema_mismatch`: JSON that is not one of the accepted objects (see {@link parseSerendipityScore}).
 * - `out_of_range`: a number outside the accepted range of its form.
 * - `unrecognized`: neither JSON nor one of the accepted near-misses (free text, a number inside prose, …).
 */
export type ScoreRejectReason =
  | 'empty'
  | 'too_long'
  | 'invalid_json'
  | 'schema_mismatch'
  | 'out_of_range'
  | 'unrecognized';

/** Result of {@link parseSerendipityScore}: a score in [0, 1], or a typed rejection. */
export type ScoreParseResult =
  | { readonly ok: true; readonly score: number }
  | {
      readonly ok: false;
      readonly reason: ScoreRejectReason;
      /** Human-readable detail; for an `out_of_range` score it names the scale the number was read on. */
      readonly detail?: string;
    };

/**
 * The scale a prompt declares for its score:
 * - `'0-1'`: a probability-like number from 0 to 1 (what this package's prompts ask for);
 * - `'1-5'`: a 1–5 rating, mapped to `(n − 1) / 4`.
 */
export type ScoreScale = '0-1' | '1-5';

/** Options of {@link parseSerendipityScore}. */
export interface ParseScoreOptions {
  /**
   * The scale the prompt declared, which decides how a bare number or a JSON `score` is read.
   * Explicit forms (`n/5`, `p%`) carry their own scale and are read the same under either.
   * @defaultValue `'0-1'` (the scale of `buildScorePrompt`)
   */
  readonly scale?: ScoreScale;
}

/** Default declared scale: the one every prompt of this package asks for. */
export const DEFAULT_SCORE_SCALE: ScoreScale = '0-1';

/** Where the JSON of an answer was found, or why there is none. */
export type JsonLocation =
  | { readonly kind: 'json'; readonly text: string }
  | { readonly kind: 'bare'; readonly text: string }
  | { readonly kind: 'rejected'; readonly reason: ScoreRejectReason };

const FENCE = '```';

/**
 * Finds the structured part of a model answer, in this order:
 * 1. the whole trimmed text, when it starts with `{`;
 * 2. the last complete fenced code block (an optional `json` language tag is dropped);
 * 3. the text after the last `ANSWER:` marker (chain-of-thought replies).
 * Anything else is returned as `bare` text for the near-miss rules. Runs in linear time.
 */
export function locateAnswer(text: string): JsonLocation {
  if (typeof text !== 'string') return { kind: 'rejected', reason: 'unrecognized' };
  if (text.length > MAX_ANSWER_CHARS) return { kind: 'rejected', reason: 'too_long' };
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'rejected', reason: 'empty' };
  if (trimmed.startsWith('{')) return { kind: 'json', text: trimmed };
  const fenced = lastFencedBlock(trimmed);
  if (fenced !== undefined) return { kind: fenced.startsWith('{') ? 'json' : 'bare', text: fenced };
  const marker = trimmed.toUpperCase().lastIndexOf(ANSWER_MARKER);
  if (marker >= 0) {
    const after = trimmed.slice(marker + ANSWER_MARKER.length).trim();
    return { kind: after.startsWith('{') ? 'json' : 'bare', text: after };
  }
  return { kind: 'bare', text: trimmed };
}

function lastFencedBlock(text: string): string | undefined {
  let open = -1;
  let block: string | undefined;
  for (let at = text.indexOf(FENCE); at >= 0; at = text.indexOf(FENCE, at + FENCE.length)) {
    if (open < 0) {
      open = at;
    } else {
      block = text.slice(open + FENCE.length, at);
      open = -1;
    }
  }
  if (block === undefined) return undefined;
  const body = block.replace(/^[ \t]*json[ \t]*(?=\r?\n|\{)/i, '');
  return body.trim();
}

/** Parses JSON without ever throwing; `undefined` marks a syntax error. */
export function safeJsonParse(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

function isUnitNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}

/**
 * Reads one judgement object. Accepted shapes (other keys, such as `reason`, are ignored):
 * - `{ "score": s }` with `s ∈ [0, 1]` → `s`;
 * - `{ "relevance": r, "unexpectedness": u, "novelty": n }`, each in [0, 1] (the indirect style) →
 *   `r · (u + n) / 2`, see {@link combineIndirect}. `score` wins when both shapes are present.
 */
export function readJudgement(value: unknown, scale: ScoreScale = DEFAULT_SCORE_SCALE): ScoreParseResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'schema_mismatch' };
  }
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, 'score')) return onScale(record.score, scale, 'JSON score');
  const parts = [record.relevance, record.unexpectedness, record.novelty];
  if (!parts.every((part) => typeof part === 'number')) return { ok: false, reason: 'schema_mismatch' };
  if (!parts.every(isUnitNumber)) return { ok: false, reason: 'out_of_range' };
  const [relevance, unexpectedness, novelty] = parts as [number, number, number];
  return { ok: true, score: combineIndirect(relevance, unexpectedness, novelty) };
}

/** Reads a number on the declared scale; a number off the scale is `out_of_range`, naming the scale. */
function onScale(value: unknown, scale: ScoreScale, what: string): ScoreParseResult {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, reason: 'schema_mismatch' };
  if (scale === '1-5') {
    if (value >= 1 && value <= 5) return { ok: true, score: likert(value) };
    return { ok: false, reason: 'out_of_range', detail: `${what} ${value} is outside the declared 1-5 scale` };
  }
  if (isUnitNumber(value)) return { ok: true, score: value };
  const hint = value > 1 && value <= 5 ? " (a 1-5 rating? declare it with { scale: '1-5' })" : '';
  return { ok: false, reason: 'out_of_range', detail: `${what} ${value} is outside the declared 0-1 scale${hint}` };
}

/**
 * The indirect style's combination rule: serendipity needs relevance AND surprise (Kotkov et al.,
 * KBS 2016), and surprise is either unexpectedness or novelty, so
 * `score = relevance · (unexpectedness + novelty) / 2`. An irrelevant item scores 0 however surprising.
 */
export function combineIndirect(relevance: number, unexpectedness: number, novelty: number): number {
  return (relevance * (unexpectedness + novelty)) / 2;
}

const YES = new Set(['yes', 'true', 'y']);
const NO = new Set(['no', 'false', 'n']);
const NUMBER = '[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)';
const PERCENT = new RegExp(`^(${NUMBER})\\s*%$`);
const OUT_OF_FIVE = new RegExp(`^(${NUMBER})\\s*/\\s*5$`);
const BARE_NUMBER = new RegExp(`^${NUMBER}$`);
/** Longest bare answer read as a near-miss; anything longer is prose. */
const MAX_BARE_CHARS = 32;

/**
 * Near-miss answers (no JSON), after trimming whitespace, surrounding quotes, `*`/`_` emphasis and one
 * trailing period, case-insensitive:
 * - `yes` / `true` / `y` → 1; `no` / `false` / `n` → 0 (the binary question of Tokutake & Okamoto);
 * - `p%` with `0 ≤ p ≤ 100` → `p / 100`;
 * - `n/5` with `1 ≤ n ≤ 5` → `(n − 1) / 4` (a 1–5 rating, as in SerenPrompt's discrete scale);
 * - a bare number `x`, read on the declared `scale`: on `'0-1'`, `0 ≤ x ≤ 1` → `x`; on `'1-5'`,
 *   `1 ≤ x ≤ 5` → `(x − 1) / 4`. A bare number is never guessed to be on the other scale: `"2"` under
 *   a 0–1 prompt is `out_of_range` (guessing made a 1–5 model's lowest rating, `"1"`, the top score).
 * Numbers outside these ranges are `out_of_range` (with a `detail` naming the scale); anything else
 * is `unrecognized`.
 */
export function readNearMiss(text: string, scale: ScoreScale = DEFAULT_SCORE_SCALE): ScoreParseResult {
  if (text.length > MAX_BARE_CHARS * 2) return { ok: false, reason: 'unrecognized' };
  const cleaned = text
    .trim()
    .replace(/^["'`*_\s]+|["'`*_\s]+$/g, '')
    .replace(/\.$/, '')
    .trim()
    .toLowerCase();
  if (cleaned === '' || cleaned.length > MAX_BARE_CHARS) return { ok: false, reason: 'unrecognized' };
  if (YES.has(cleaned)) return { ok: true, score: 1 };
  if (NO.has(cleaned)) return { ok: true, score: 0 };
  const percent = PERCENT.exec(cleaned);
  if (percent) return inRange(Number(percent[1]), 0, 100, (p) => p / 100);
  const outOfFive = OUT_OF_FIVE.exec(cleaned);
  if (outOfFive) return inRange(Number(outOfFive[1]), 1, 5, likert);
  if (BARE_NUMBER.test(cleaned)) return onScale(Number(cleaned), scale, 'bare number');
  return { ok: false, reason: 'unrecognized' };
}

function likert(rating: number): number {
  return (rating - 1) / 4;
}

function inRange(x: number, low: number, high: number, map: (x: number) => number): ScoreParseResult {
  return Number.isFinite(x) && x >= low && x <= high ? { ok: true, score: map(x) } : { ok: false, reason: 'out_of_range' };
}

/**
 * Parses one model answer into a serendipity score in [0, 1]. Never evaluates the text and never
 * throws on any text: every input gives a score in [0, 1] or a typed {@link ScoreRejectReason}.
 *
 * The accepted format is fixed, whatever the prompt or the item text said:
 * 1. JSON (whole answer, last fenced code block, or after the last `ANSWER:` marker, see
 *    `locateAnswer`) holding `{"score": s}` or the indirect triple (see `readJudgement`);
 * 2. otherwise a short near-miss answer (yes/no, percentage, `n/5`, a bare number, see `readNearMiss`).
 * Bare numbers and JSON `score`s are read on the scale the prompt declared (`options.scale`, default
 * `'0-1'`); a number off that scale is rejected as `out_of_range` with a `detail` naming the scale.
 * A number buried in prose is rejected (`unrecognized`): scanning prose for numbers is how text
 * quoted from an item would leak into the score.
 *
 * @example
 * parseSerendipityScore('```json\n{"score": 0.7}\n```') // { ok: true, score: 0.7 }
 * parseSerendipityScore('4/5')                           // { ok: true, score: 0.75 }
 * parseSerendipityScore('2')                             // { ok: false, reason: 'out_of_range', detail: '… 0-1 scale …' }
 * parseSerendipityScore('2', { scale: '1-5' })           // { ok: true, score: 0.25 }
 *
 * @throws {@link RerankError} `INVALID_OPTION` for an unknown `scale`.
 */
export function parseSerendipityScore(text: string, options?: ParseScoreOptions): ScoreParseResult {
  const scale = options?.scale ?? DEFAULT_SCORE_SCALE;
  if (scale !== '0-1' && scale !== '1-5') {
    throw new RerankError('INVALID_OPTION', `parseSerendipityScore: option "scale" must be '0-1' or '1-5'.`, { field: 'options.scale' });
  }
  const located = locateAnswer(text);
  if (located.kind === 'rejected') return { ok: false, reason: located.reason };
  if (located.kind === 'bare') return readNearMiss(located.text, scale);
  const parsed = safeJsonParse(located.text);
  if (parsed === undefined) return { ok: false, reason: 'invalid_json' };
  return readJudgement(parsed.value, scale);
}
