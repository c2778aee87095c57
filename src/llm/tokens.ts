/** Characters per token assumed by {@link estimateTokens}. */
export const CHARS_PER_TOKEN = 4;

/**
 * Cheap, tokenizer-free token estimate: `ceil(text.length / 4)` UTF-16 code units per token, the
 * rule of thumb OpenAI documents for English text. It over-counts dense code and under-counts
 * CJK text; leave headroom in budgets accordingly. Used for every `maxTokens` budget in this module.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
