/**
 * Reads an HTTP `Retry-After` header (RFC 9110 §10.2.3) as a delay in milliseconds: either
 * delay-seconds (a non-negative integer) or an HTTP date, relative to `nowMs`. Returns `undefined`
 * for a missing or unparsable header; a date in the past gives 0.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
