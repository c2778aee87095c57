import { timedSignal } from './abort.js';
import type { ChatMessage } from './chat.js';
import { safeJsonParse } from './parse.js';
import { parseRetryAfter } from './retry-after.js';

/** Characters of an error response body kept in failure messages. */
export const ERROR_BODY_CHARS = 200;

/**
 * Kinds of failed LLM calls.
 * - `rate_limited` (HTTP 429), `server_error` (HTTP 5xx), `network` (fetch rejected): retryable.
 * - `timeout`: no complete response within `timeoutMs`; retryable later, not retried at once.
 * - `client_error`: other HTTP 4xx (bad key, unknown model, bad request): permanent.
 * - `malformed_response`: HTTP 2xx whose body is not a Chat Completions response: permanent.
 * - `rejected_answer`: the model's text failed `parseSerendipityScore`/`parseListwiseScores`: permanent.
 * - `invalid_item`: `describeItem` threw or returned a non-string: permanent.
 */
export type LlmFailureKind =
  | 'rate_limited'
  | 'server_error'
  | 'network'
  | 'timeout'
  | 'client_error'
  | 'malformed_response'
  | 'rejected_answer'
  | 'invalid_item';

/** One failed call, as reported to `onFailure`. Never contains the API key. */
export interface LlmFailure {
  /** What went wrong. */
  readonly kind: LlmFailureKind;
  /** True when the same call may succeed later (429, 5xx, network, timeout). */
  readonly retryable: boolean;
  /** Human-readable detail (status line, a cut response body, parse reason), with the API key redacted. */
  readonly message: string;
  /** HTTP status, when there was a response. */
  readonly status?: number;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs?: number;
  /** The parser's reason, for `rejected_answer`. */
  readonly reason?: string;
  /** Items of the batch this failure cost a score (filled in by the scorer). */
  readonly itemIds?: readonly string[];
}

/** Token counts from the response's `usage` field. */
export interface TokenUsage {
  /** Tokens in the prompt. */
  readonly promptTokens: number;
  /** Tokens in the answer. */
  readonly completionTokens: number;
  /** Their total as reported (or their sum). */
  readonly totalTokens: number;
}

/** Outcome of one Chat Completions call. */
export type ChatOutcome =
  | { readonly ok: true; readonly content: string; readonly usage: TokenUsage | undefined }
  | { readonly ok: false; readonly failure: LlmFailure };

/** Everything one call needs. */
export interface ChatCallConfig {
  /** Full endpoint URL, `…/chat/completions`. */
  readonly url: string;
  /** Request headers (incl. authorization). */
  readonly headers: Readonly<Record<string, string>>;
  /** The fetch implementation. */
  readonly fetch: typeof fetch;
  /** Per-call timeout. */
  readonly timeoutMs: number;
  /** Removes secrets from any text that leaves the scorer. */
  readonly redact: (text: string) => string;
  /** Current time in ms, for HTTP-date `Retry-After`. */
  readonly now: () => number;
}

function readUsage(value: unknown): TokenUsage | undefined {
  const usage = value as { prompt_tokens?: unknown; completion_tokens?: unknown; total_tokens?: unknown } | null | undefined;
  if (usage === null || typeof usage !== 'object') return undefined;
  const prompt = typeof usage.prompt_tokens === 'number' && Number.isFinite(usage.prompt_tokens) ? usage.prompt_tokens : 0;
  const completion = typeof usage.completion_tokens === 'number' && Number.isFinite(usage.completion_tokens) ? usage.completion_tokens : 0;
  const total = typeof usage.total_tokens === 'number' && Number.isFinite(usage.total_tokens) ? usage.total_tokens : prompt + completion;
  return { promptTokens: prompt, completionTokens: completion, totalTokens: total };
}

function failure(kind: LlmFailureKind, message: string, extra: Partial<LlmFailure> = {}): ChatOutcome {
  const retryable = kind === 'rate_limited' || kind === 'server_error' || kind === 'network' || kind === 'timeout';
  return { ok: false, failure: { kind, retryable, message, ...extra } };
}

/**
 * One POST to an OpenAI-compatible Chat Completions endpoint with global-`fetch` semantics. Resolves
 * to the first choice's message text, or a classified {@link LlmFailure}; rejects only with the
 * caller's abort reason when `signal` aborts. The whole exchange (headers and body) is bounded by
 * `timeoutMs`.
 */
export async function callChatCompletion(
  config: ChatCallConfig,
  body: Readonly<Record<string, unknown>>,
  signal: AbortSignal,
): Promise<ChatOutcome> {
  const timed = timedSignal(signal, config.timeoutMs);
  try {
    let response: Response;
    let text: string;
    try {
      // Called detached: browsers reject `fetch` invoked with a `this` other than the global object.
      const fetchFn = config.fetch;
      response = await fetchFn(config.url, {
        method: 'POST',
        headers: config.headers,
        body: JSON.stringify(body),
        signal: timed.signal,
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (timed.timedOut()) return failure('timeout', `no complete response within ${config.timeoutMs} ms`);
      return failure('network', config.redact(`fetch failed: ${error instanceof Error ? error.message : String(error)}`));
    }
    const status = response.status;
    if (status < 200 || status > 299) {
      const detail = config.redact(`HTTP ${status} ${response.statusText}: ${text.slice(0, ERROR_BODY_CHARS)}`);
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), config.now());
      const extra = retryAfterMs === undefined ? { status } : { status, retryAfterMs };
      if (status === 429) return failure('rate_limited', detail, extra);
      if (status >= 500) return failure('server_error', detail, extra);
      return failure('client_error', detail, { status });
    }
    const parsed = safeJsonParse(text);
    const choices = (parsed?.value as { choices?: unknown } | null | undefined)?.choices;
    const content = Array.isArray(choices) ? (choices[0] as { message?: { content?: unknown } } | undefined)?.message?.content : undefined;
    if (typeof content !== 'string') {
      return failure('malformed_response', config.redact(`HTTP ${status} body is not a Chat Completions response: ${text.slice(0, ERROR_BODY_CHARS)}`), {
        status,
      });
    }
    return { ok: true, content, usage: readUsage((parsed?.value as { usage?: unknown }).usage) };
  } finally {
    timed.dispose();
  }
}
