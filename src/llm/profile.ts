import { assertKnownOptions, numberOption } from '../_internals/options.js';
import { RerankError } from '../errors/rerank-error.js';
import { fnv1a64 } from './hash.js';

/** Version of the profile format; part of every key, so a format change never reuses old cache entries. */
export const PROFILE_VERSION = 1;
/** Default number of most recent history items that form the short-term level. */
export const DEFAULT_SHORT_TERM_WINDOW = 20;
/** Default number of long-term and short-term categories kept. */
export const DEFAULT_MAX_CATEGORIES = 8;
/** Default number of taste edges kept. */
export const DEFAULT_MAX_EDGES = 3;
/** Default largest long-term share for a category to count as an edge of taste. */
export const DEFAULT_EDGE_MAX_SHARE = 0.05;
/** Default number of recent item titles kept. */
export const DEFAULT_RECENT_TITLES = 5;
/** Default characters kept per title and per attribute value. */
export const DEFAULT_MAX_TEXT_CHARS = 120;
/** Shares are rounded to this step, so small history changes keep the key (and its cache entries). */
export const SHARE_STEP = 0.01;

/** One consumed item, oldest first in the history. Text fields are untrusted. */
export interface ProfileHistoryItem {
  /** Item id (used as the title when `title` is missing). */
  readonly id: string;
  /** Category labels. */
  readonly categories?: readonly string[];
  /** Short human-readable title. */
  readonly title?: string;
}

/** A category and its share of the (long- or short-term) history. */
export interface CategoryShare {
  /** Category label, as given by the host. */
  readonly category: string;
  /** Share in [0.01, 1], rounded to {@link SHARE_STEP}. */
  readonly share: number;
}

/** A rare category the user nevertheless consumed: a lead for serendipitous recommendations. */
export interface TasteEdge extends CategoryShare {
  /** How many items ago it was last consumed (0 = the most recent item). */
  readonly itemsAgo: number;
}

/** Sentences written by an LLM about each level (see `writeProfileSummaries`). Untrusted. */
export interface ProfileSummaries {
  /** Lasting interests. */
  readonly longTerm: string;
  /** What the user is into right now. */
  readonly shortTerm: string;
  /** Where their taste could stretch. */
  readonly edges: string;
}

/**
 * A multi-level user *cognition profile*, stage 1 of SERAL (Xi et al., arXiv 2502.13539, KDD 2025):
 * stable attributes, long-term interests, short-term interests, and the edges of taste, plus
 * optional LLM-written summaries. Plain, JSON-serialisable data; pass it as `user.profile` with
 * `user.profileKey = profile.key`.
 */
export interface CognitionProfile {
  /** Format version ({@link PROFILE_VERSION}). */
  readonly version: typeof PROFILE_VERSION;
  /** `cp<version>-<FNV-1a 64 hex>` of every other field: equal keys ⇔ equal content (up to hash collisions). */
  readonly key: string;
  /** Host-provided stable attributes, sorted by name. */
  readonly attributes: readonly (readonly [string, string])[];
  /** Category shares over the whole history, largest first (ties by name). */
  readonly longTerm: readonly CategoryShare[];
  /** Category shares over the short-term window, largest first (ties by name). */
  readonly shortTerm: readonly CategoryShare[];
  /** Rare-but-present categories, most recent first. */
  readonly edges: readonly TasteEdge[];
  /** Titles of the most recent items, newest first. */
  readonly recent: readonly string[];
  /** LLM-written summaries, when {@link writeProfileSummaries} added them. */
  readonly summaries?: ProfileSummaries;
}

/** Options of {@link buildCognitionProfile}. */
export interface CognitionProfileOptions {
  /**
   * Number of most recent items that form the short-term level.
   * @defaultValue {@link DEFAULT_SHORT_TERM_WINDOW} (20)
   */
  readonly shortTermWindow?: number;
  /**
   * Long-term and short-term categories kept (largest shares).
   * @defaultValue {@link DEFAULT_MAX_CATEGORIES} (8)
   */
  readonly maxCategories?: number;
  /**
   * Edges of taste kept.
   * @defaultValue {@link DEFAULT_MAX_EDGES} (3)
   */
  readonly maxEdges?: number;
  /**
   * A category is an edge when its long-term share is at most this (and it occurs at all).
   * @defaultValue {@link DEFAULT_EDGE_MAX_SHARE} (0.05)
   */
  readonly edgeMaxShare?: number;
  /**
   * Recent titles kept.
   * @defaultValue {@link DEFAULT_RECENT_TITLES} (5)
   */
  readonly recentTitles?: number;
  /**
   * Characters kept per title, category label, attribute name and attribute value (longer text is
   * cut, before any escaping or hashing, so untrusted text costs at most this much).
   * @defaultValue {@link DEFAULT_MAX_TEXT_CHARS} (120)
   */
  readonly maxTextChars?: number;
  /**
   * Stable attributes supplied by the host (e.g. `{ country: 'BR', ageBand: '25-34' }`).
   * @defaultValue `{}`
   */
  readonly attributes?: Readonly<Record<string, string>>;
}

const OPTION_KEYS = [
  'shortTermWindow',
  'maxCategories',
  'maxEdges',
  'edgeMaxShare',
  'recentTitles',
  'maxTextChars',
  'attributes',
] as const;

const OWNER = 'buildCognitionProfile';

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Steps per unit share (100 for a 0.01 step); dividing by it gives the shortest decimal (0.57, not 0.5700000000000001). */
const STEPS_PER_UNIT = Math.round(1 / SHARE_STEP);

function roundShare(share: number): number {
  return Math.max(SHARE_STEP, Math.round(share * STEPS_PER_UNIT) / STEPS_PER_UNIT);
}

function cut(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, Math.max(0, maxChars - 1))}…` : text;
}

/**
 * Category shares of `history[from..]`: each item spreads weight 1 evenly over its distinct
 * categories (labels cut to `maxChars` first, so a huge label costs no more than a short one), and
 * shares are divided by the number of items that have categories, so they sum to 1.
 * Also records, per category, the index of the last item that had it.
 */
function categoryShares(
  history: readonly ProfileHistoryItem[],
  from: number,
  maxChars: number,
): { shares: Map<string, number>; lastIndex: Map<string, number> } {
  const totals = new Map<string, number>();
  const lastIndex = new Map<string, number>();
  let counted = 0;
  for (let i = from; i < history.length; i++) {
    const categories = history[i]?.categories;
    if (categories === undefined || categories.length === 0) continue;
    const distinct = new Set(categories.map((category) => cut(category, maxChars)));
    counted++;
    for (const category of distinct) {
      totals.set(category, (totals.get(category) ?? 0) + 1 / distinct.size);
      lastIndex.set(category, i);
    }
  }
  const shares = new Map<string, number>();
  for (const [category, total] of totals) shares.set(category, total / counted);
  return { shares, lastIndex };
}

function topShares(shares: Map<string, number>, limit: number): CategoryShare[] {
  return [...shares]
    .sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0]))
    .slice(0, limit)
    .map(([category, share]) => ({ category, share: roundShare(share) }));
}

function validateHistory(history: readonly ProfileHistoryItem[]): void {
  if (!Array.isArray(history)) {
    throw new RerankError('INVALID_ARGUMENT', `${OWNER}: history must be an array of { id, categories?, title? }, oldest first.`, {
      field: 'history',
      value: history,
    });
  }
  for (let i = 0; i < history.length; i++) {
    const item = history[i];
    const field = `history[${i}]`;
    if (item === null || typeof item !== 'object' || typeof item.id !== 'string' || item.id === '') {
      throw new RerankError('INVALID_ID', `${OWNER}: ${field}.id must be a non-empty string.`, { field: `${field}.id` });
    }
    if (item.categories !== undefined && (!Array.isArray(item.categories) || item.categories.some((c: unknown) => typeof c !== 'string'))) {
      throw new RerankError('INVALID_ARGUMENT', `${OWNER}: ${field}.categories must be an array of strings.`, {
        field: `${field}.categories`,
      });
    }
    if (item.title !== undefined && typeof item.title !== 'string') {
      throw new RerankError('INVALID_ARGUMENT', `${OWNER}: ${field}.title must be a string when given.`, { field: `${field}.title` });
    }
  }
}

function readAttributes(attributes: unknown, maxChars: number): (readonly [string, string])[] {
  if (attributes === undefined) return [];
  if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
    throw new RerankError('INVALID_OPTION', `${OWNER}: option "attributes" must be an object of string values.`, {
      field: 'options.attributes',
    });
  }
  const entries = Object.entries(attributes as Record<string, unknown>);
  for (const [name, value] of entries) {
    if (typeof value !== 'string') {
      throw new RerankError('INVALID_OPTION', `${OWNER}: attribute "${name}" must be a string, got ${typeof value}.`, {
        field: `options.attributes.${name}`,
      });
    }
  }
  return entries
    .map(([name, value]) => [cut(name, maxChars), cut(value as string, maxChars)] as const)
    .sort((a, b) => byCodeUnits(a[0], b[0]));
}

/** The key of a profile's content: everything except `key` itself, in a fixed field order. */
export function profileKey(content: Omit<CognitionProfile, 'key'>): string {
  const canonical = JSON.stringify([
    content.version,
    content.attributes,
    content.longTerm.map((c) => [c.category, c.share]),
    content.shortTerm.map((c) => [c.category, c.share]),
    content.edges.map((c) => [c.category, c.share, c.itemsAgo]),
    content.recent,
    content.summaries === undefined ? null : [content.summaries.longTerm, content.summaries.shortTerm, content.summaries.edges],
  ]);
  return `cp${PROFILE_VERSION}-${fnv1a64(canonical)}`;
}

/**
 * Builds the deterministic part of a SERAL-style cognition profile (arXiv 2502.13539, stage 1)
 * from a history, oldest item first:
 * - **attributes**: the host's stable attributes, sorted by name;
 * - **long-term**: category shares over the whole history (each item spreads weight 1 over its
 *   distinct categories), the `maxCategories` largest;
 * - **short-term**: the same over the last `shortTermWindow` items;
 * - **edges of taste**: categories whose long-term share is in (0, `edgeMaxShare`], most recently
 *   consumed first: rare excursions the user did take, the natural place for a serendipitous hit;
 * - **recent**: titles (or ids) of the last `recentTitles` items, newest first.
 * Shares are rounded to {@link SHARE_STEP} (at least 0.01). Every untrusted text (titles, ids used as
 * titles, category labels, attributes) is cut to `maxTextChars` before it is counted, escaped or
 * hashed; labels equal in their first `maxTextChars − 1` characters count as one. Time O(history ×
 * categories per item); the profile's size is bounded by the options, whatever the history length. Same input ⇒ same
 * profile and `key`; `key` changes exactly when the content changes.
 *
 * @throws {@link RerankError} `INVALID_ID`/`INVALID_ARGUMENT` for a malformed history,
 * `UNKNOWN_OPTION`/`INVALID_OPTION` for bad options.
 */
export function buildCognitionProfile(
  history: readonly ProfileHistoryItem[],
  options?: CognitionProfileOptions,
): CognitionProfile {
  assertKnownOptions(OWNER, options, OPTION_KEYS);
  const positive = { min: 1, integer: true };
  const window = numberOption(OWNER, 'shortTermWindow', options?.shortTermWindow, DEFAULT_SHORT_TERM_WINDOW, positive);
  const maxCategories = numberOption(OWNER, 'maxCategories', options?.maxCategories, DEFAULT_MAX_CATEGORIES, positive);
  const maxEdges = numberOption(OWNER, 'maxEdges', options?.maxEdges, DEFAULT_MAX_EDGES, { min: 0, integer: true });
  const edgeMaxShare = numberOption(OWNER, 'edgeMaxShare', options?.edgeMaxShare, DEFAULT_EDGE_MAX_SHARE, { min: 0, max: 1 });
  const recentTitles = numberOption(OWNER, 'recentTitles', options?.recentTitles, DEFAULT_RECENT_TITLES, { min: 0, integer: true });
  const maxTextChars = numberOption(OWNER, 'maxTextChars', options?.maxTextChars, DEFAULT_MAX_TEXT_CHARS, positive);
  validateHistory(history);
  const attributes = readAttributes(options?.attributes, maxTextChars);

  const n = history.length;
  const longTerm = categoryShares(history, 0, maxTextChars);
  const shortTerm = categoryShares(history, Math.max(0, n - window), maxTextChars);
  const edges = [...longTerm.shares]
    .filter(([, share]) => share <= edgeMaxShare)
    .map(([category, share]) => ({ category, share: roundShare(share), itemsAgo: n - 1 - (longTerm.lastIndex.get(category) as number) }))
    .sort((a, b) => a.itemsAgo - b.itemsAgo || byCodeUnits(a.category, b.category))
    .slice(0, maxEdges);
  const recent: string[] = [];
  for (let i = n - 1; i >= 0 && recent.length < recentTitles; i--) {
    const item = history[i] as ProfileHistoryItem;
    recent.push(cut(item.title ?? item.id, maxTextChars));
  }
  const content = {
    version: PROFILE_VERSION,
    attributes,
    longTerm: topShares(longTerm.shares, maxCategories),
    shortTerm: topShares(shortTerm.shares, maxCategories),
    edges,
    recent,
  } as const;
  return { ...content, key: profileKey(content) };
}

/** True when `value` looks like a {@link CognitionProfile} built by this module. */
export function isCognitionProfile(value: unknown): value is CognitionProfile {
  const candidate = value as Partial<CognitionProfile> | null;
  return (
    candidate !== null &&
    typeof candidate === 'object' &&
    candidate.version === PROFILE_VERSION &&
    typeof candidate.key === 'string' &&
    Array.isArray(candidate.longTerm) &&
    Array.isArray(candidate.shortTerm) &&
    Array.isArray(candidate.edges) &&
    Array.isArray(candidate.recent) &&
    Array.isArray(candidate.attributes)
  );
}
