/** Default cap on the characters kept from one untrusted text (item description, title, …). */
export const DEFAULT_MAX_UNTRUSTED_CHARS = 600;

/**
 * Encodes untrusted text (item titles, descriptions, history text) as data for a prompt, the defence
 * against prompt injection that SerenPrompt (ICTIR 2024) and Tokutake & Okamoto (arXiv 2404.07499)
 * style judging needs, since catalogue text is written by third parties.
 *
 * The text is truncated to `maxChars` (an ellipsis marks the cut), then written as a JSON string
 * literal in which `<`, `>` and `&` are additionally escaped as `\u003c`, `\u003e` and `\u0026`.
 * The result therefore:
 * - is one line (newlines, tabs and control characters are JSON escapes), so it cannot start a new
 *   "instruction" line;
 * - contains no `<` or `>`, so it cannot close or open the `<item>`/`<profile>` delimiters around it;
 * - is still valid JSON, so `JSON.parse` gives back the (truncated) original text.
 *
 * Escaping does not make an LLM obey; it keeps the *structure* of the prompt fixed. What the parser
 * accepts is fixed independently of any prompt (see {@link parseSerendipityScore}).
 */
export function encodeUntrusted(text: string, maxChars: number = DEFAULT_MAX_UNTRUSTED_CHARS): string {
  const kept = text.length > maxChars ? `${text.slice(0, Math.max(0, maxChars - 1))}…` : text;
  return JSON.stringify(kept).replace(/[<>&\u2028\u2029]/g, escapeChar);
}

/**
 * {@link encodeUntrusted} with the *encoded* length capped at `maxEncodedChars` (escapes can make the
 * literal several times longer than the text): keeps cutting the text until the literal fits.
 * Returns `""` when not even an ellipsis fits.
 */
export function encodeUntrustedWithin(text: string, maxEncodedChars: number): string {
  let keep = Math.min(text.length, maxEncodedChars);
  for (;;) {
    const encoded = encodeUntrusted(text, keep);
    if (encoded.length <= maxEncodedChars) return encoded;
    if (keep <= 1) return maxEncodedChars >= 2 ? '""' : '';
    keep = Math.max(1, Math.min(keep - 1, Math.floor((keep * maxEncodedChars) / encoded.length)));
  }
}

function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
