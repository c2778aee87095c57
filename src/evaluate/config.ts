import { readFileSync } from 'node:fs';
import { inputError } from './io/input-error.js';
import { jsonErrorOffset } from './json-position.js';
import type { Param, StrategyFamily } from './strategies.js';
import { SPLIT_KINDS, type SplitKind } from './windows.js';

/**
 * The evaluation's JSON config (README, "Config file"). Every key is optional; the defaults
 * reproduce `npm run demo`.
 */
export interface EvaluationConfig {
  /** List length. @defaultValue 10 */
  readonly k?: number;
  /** Seed of the item vectors, the bootstrap and the random splits. @defaultValue 42 */
  readonly seed?: number;
  /** nDCG floors as fractions of the base, each in (0, 1]. @defaultValue [0.95, 0.9] */
  readonly floors?: readonly number[];
  /** Bootstrap resamples for the confidence intervals. @defaultValue 2000 */
  readonly bootstrapSamples?: number;
  /**
   * Widening of the validation nDCG-ratio interval into the selection margin, ≥ 1: a setting
   * qualifies when `r − w·(r − lo)` meets the floor (1: the confidence bound itself). @defaultValue √2 (`PREDICTION_WIDENING`)
   */
  readonly predictionWidening?: number;
  /** Mode (a): which splits to evaluate, `standard` (test = latest interactions) and/or `shifted` (test = the window before). @defaultValue ["standard", "shifted"] */
  readonly splits?: readonly SplitKind[];
  /** Mode (a): EASE λ values tried on validation. @defaultValue [30, 100, 300, 1000] */
  readonly easeLambdas?: readonly number[];
  /** Mode (a): evaluate a seeded sample of at most this many users (all their interactions). @defaultValue every user */
  readonly maxUsers?: number;
  /** Mode (a): EASE runs on this many of the most popular items. @defaultValue 2500 */
  readonly maxItems?: number;
  /** Mode (b): size of the primitive list PM (the items that are candidates for the most users). @defaultValue 100 */
  readonly primitiveSize?: number;
  /** Families to run, by name (see the report); default every built-in family. */
  readonly strategies?: readonly string[];
  /** Grid overrides per family name: a non-empty array of numbers. */
  readonly grids?: Readonly<Record<string, readonly number[]>>;
}

const KEYS = ['k', 'seed', 'floors', 'bootstrapSamples', 'predictionWidening', 'splits', 'easeLambdas', 'maxUsers', 'maxItems', 'primitiveSize', 'strategies', 'grids'] as const;

/** 1-based line and column of `offset` in `text`. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * Reads and validates a config file. Errors name the file, line and column of the offending key.
 *
 * @param families - The families the config may name.
 * @throws {@link RerankError} `INVALID_ARGUMENT` with a one-line `file:line:column:` message.
 */
export function readConfig(path: string, families: readonly StrategyFamily<unknown>[]): EvaluationConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw inputError(path, 1, 1, `cannot read the config: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  return parseConfig(text, path, families);
}

/** {@link readConfig} on text already read. */
export function parseConfig(text: string, path: string, families: readonly StrategyFamily<unknown>[]): EvaluationConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    const offset = jsonErrorOffset(text);
    const where = position(text, offset < 0 ? 0 : offset);
    const found = offset >= text.length || offset < 0 ? 'the text ends too early' : `unexpected ${JSON.stringify(text[offset])}`;
    throw inputError(path, where.line, where.column, `not valid JSON: ${found}.`);
  }
  const fail = (key: string, message: string): never => {
    const offset = text.indexOf(`"${key}"`);
    const where = offset < 0 ? { line: 1, column: 1 } : position(text, offset);
    throw inputError(path, where.line, where.column, message);
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('', 'the config must be a JSON object.');
  const config = raw as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!(KEYS as readonly string[]).includes(key)) fail(key, `unknown key "${key}"; known keys: ${KEYS.join(', ')}.`);
  }
  const integer = (key: string, min: number): void => {
    const v = config[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)) fail(key, `"${key}" must be an integer >= ${min}, got ${JSON.stringify(v)}.`);
  };
  integer('k', 1);
  integer('seed', 0);
  integer('bootstrapSamples', 100);
  integer('maxItems', 2);
  integer('maxUsers', 2);
  integer('primitiveSize', 1);
  const widening = config.predictionWidening;
  if (widening !== undefined && (typeof widening !== 'number' || !Number.isFinite(widening) || widening < 1)) {
    fail('predictionWidening', `"predictionWidening" must be a number >= 1, got ${JSON.stringify(widening)}.`);
  }
  const numbers = (key: string, ok: (v: number) => boolean, what: string, value: unknown = config[key], label = key): void => {
    if (value === undefined) return;
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number' && Number.isFinite(v) && ok(v))) {
      fail(label, `"${label}" must be a non-empty array of ${what}, got ${JSON.stringify(value)}.`);
    }
  };
  numbers('floors', (v) => v > 0 && v <= 1, 'numbers in (0, 1]');
  numbers('easeLambdas', (v) => v > 0, 'positive numbers');
  if (config.splits !== undefined) {
    const splits = config.splits;
    if (!Array.isArray(splits) || splits.length === 0 || !splits.every((v) => (SPLIT_KINDS as readonly unknown[]).includes(v)) || new Set(splits).size !== splits.length) {
      fail('splits', `"splits" must be a non-empty array of distinct values among ${SPLIT_KINDS.map((k) => `"${k}"`).join(', ')}, got ${JSON.stringify(splits)}.`);
    }
  }
  const names = families.map((f) => f.family);
  const known = (name: unknown, key: string): void => {
    if (typeof name !== 'string' || !names.includes(name)) fail(typeof name === 'string' ? name : key, `unknown strategy ${JSON.stringify(name)} in "${key}"; known: ${names.join(', ')}.`);
  };
  if (config.strategies !== undefined) {
    if (!Array.isArray(config.strategies) || config.strategies.length === 0) fail('strategies', '"strategies" must be a non-empty array of strategy names.');
    for (const name of config.strategies as unknown[]) known(name, 'strategies');
  }
  if (config.grids !== undefined) {
    if (config.grids === null || typeof config.grids !== 'object' || Array.isArray(config.grids)) fail('grids', '"grids" must be an object: strategy name → array of numbers.');
    for (const [name, grid] of Object.entries(config.grids as Record<string, unknown>)) {
      known(name, 'grids');
      numbers(name, () => true, 'numbers', grid, name);
    }
  }
  return config as EvaluationConfig;
}

/** The families a config selects, with its grid overrides applied. */
export function configuredFamilies(config: EvaluationConfig, families: readonly StrategyFamily<unknown>[]): StrategyFamily<unknown>[] {
  const chosen = config.strategies === undefined ? families : families.filter((f) => config.strategies?.includes(f.family));
  return chosen.map((family) => {
    const grid = config.grids?.[family.family];
    return grid === undefined ? family : { ...family, params: grid as readonly Param[] };
  });
}
