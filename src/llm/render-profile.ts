import { describeValue } from '../errors/describe-value.js';
import { isCognitionProfile, type CognitionProfile } from './profile.js';
import { CHARS_PER_TOKEN, estimateTokens } from './tokens.js';
import { RerankError } from '../errors/rerank-error.js';
import { encodeUntrusted, encodeUntrustedWithin } from './untrusted.js';

/** Default token budget of the profile block inside a prompt. */
export const DEFAULT_PROFILE_TOKENS = 300;

interface Section {
  readonly label: string;
  readonly entries: readonly string[];
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function sections(profile: CognitionProfile): Section[] {
  const list: Section[] = [
    { label: 'attributes', entries: profile.attributes.map(([name, value]) => `${encodeUntrusted(name)}: ${encodeUntrusted(value)}`) },
    { label: 'long-term interests (share of history)', entries: profile.longTerm.map((c) => `${encodeUntrusted(c.category)} ${percent(c.share)}`) },
    { label: 'short-term interests (recent items)', entries: profile.shortTerm.map((c) => `${encodeUntrusted(c.category)} ${percent(c.share)}`) },
    {
      label: 'edges of taste (rare but consumed)',
      entries: profile.edges.map((c) => `${encodeUntrusted(c.category)} ${percent(c.share)}, ${c.itemsAgo} items ago`),
    },
    { label: 'recent items (newest first)', entries: profile.recent.map((title) => encodeUntrusted(title)) },
  ];
  if (profile.summaries !== undefined) {
    list.push(
      { label: 'summary of lasting interests', entries: [encodeUntrusted(profile.summaries.longTerm)] },
      { label: 'summary of current interests', entries: [encodeUntrusted(profile.summaries.shortTerm)] },
      { label: 'summary of taste edges', entries: [encodeUntrusted(profile.summaries.edges)] },
    );
  }
  return list;
}

/**
 * Renders a profile as the data lines of a prompt, within `maxTokens` (estimated with
 * {@link estimateTokens}). A {@link CognitionProfile} becomes one line per level
 * (`label: entry; entry; …`), filled in order of importance (attributes, long-term, short-term,
 * edges, recent titles, summaries) and cut entry by entry when the budget runs out. Any other value is
 * treated as opaque host data: a string is used as is, anything else as its JSON. Every piece of text
 * goes through {@link encodeUntrusted}, so the block never contains `<` or `>` or a raw newline
 * inside a value. The result has at most `maxTokens · 4` characters.
 *
 * @throws {@link RerankError} `INVALID_OPTION` when `maxTokens` is not a positive integer.
 */
export function renderProfile(profile: unknown, maxTokens: number = DEFAULT_PROFILE_TOKENS): string {
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new RerankError('INVALID_OPTION', `renderProfile: the profile token budget must be a positive integer, got ${describeValue(maxTokens)}.`, {
      field: 'options.profileTokens',
      value: maxTokens,
    });
  }
  const maxChars = maxTokens * CHARS_PER_TOKEN;
  if (!isCognitionProfile(profile)) return encodeUntrustedWithin(opaqueText(profile), maxChars);
  const lines: string[] = [];
  let used = 0;
  for (const section of sections(profile)) {
    if (section.entries.length === 0) continue;
    let line = `${section.label}: `;
    let kept = 0;
    for (const entry of section.entries) {
      const next = kept === 0 ? line + entry : `${line}; ${entry}`;
      if (used + next.length + 1 > maxChars) break;
      line = next;
      kept++;
    }
    if (kept === 0) break;
    lines.push(line);
    used += line.length + 1;
  }
  const text = lines.join('\n');
  return estimateTokens(text) <= maxTokens ? text : '';
}

function opaqueText(profile: unknown): string {
  if (typeof profile === 'string') return profile;
  try {
    return JSON.stringify(profile) ?? String(profile);
  } catch {
    return '(unserialisable profile)';
  }
}
