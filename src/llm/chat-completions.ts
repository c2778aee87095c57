import { safeJsonParse } from './parse.js';
import { cutText } from './redact.js';
import { parseRetryAfter } from './retry-after.js';

/** Characters of an error response body kept in failure messages (cut after redaction). */
export const ERROR_BODY_CHARS = 200;
/** Same-origin redirects (307/308) followed before a call fails as `redirect_refused`. */
export const MAX_REDIRECTS = 5;

/**
 * Kinds of failed LLM calls.
 * - `rate_limited` (HTTP 429), `server_error` (HTTP 5xx), `network` (fetch rejected): retryable.
 * - `timeout`: no complete response within `timeoutMs`; retryable later, not retried at once.
 * - `client_error`: other HTTP 4xx (bad key, unknown model, bad request): permanent.
 * - `malformed_response`: HTTP 2xx whose body is not a Chat Completions response: permanent.
 * - `response_too_large`: the (decoded) body exceeds `maxResponseBytes`; reading stops there: permanent.
 * - `redirect_refused`: a redirect to another origin (which would receive the prompt and the
 *   credentials), a method-changing redirect (301/302/303), or more than `MAX_REDIRECTS` (5) hops: permanent.
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
  | 'response_too_large'
  | 'redirect_refused'
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
  /** The server's `Retry-After`, in milliseconds, when it sent one (capped at the scorer's `maxRetryAfterMs`). */
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
  /** Per-call hard limit: the call settles by then whatever `fetch` does. */
  readonly timeoutMs: number;
  /** Largest decoded response body read, in bytes. */
  readonly maxResponseBytes: number;
  /** Removes secrets (API key, URL credentials) from any text that leaves the scorer. */
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

/** Thrown inside an exchange to end it with a classified failure. */
class ExchangeFailure extends Error {
  constructor(readonly outcome: ChatOutcome) {
    super('exchange failed');
  }
}

/** Redacts, then cuts: a cut made first could leave the start of a secret that no longer matches. */
function detail(config: ChatCallConfig, text: string): string {
  return cutText(config.redact(text), ERROR_BODY_CHARS);
}

/**
 * Reads a body as a stream, at most `maxBytes` decoded bytes; past that it cancels the stream (which
 * closes the connection and stops decompression) and fails with `response_too_large`.
 */
async function readCapped(response: Response, config: ChatCallConfig): Promise<string> {
  const body = response.body as ReadableStream<Uint8Array> | null | undefined;
  if (body === null) return '';
  if (body === undefined) {
    // A minimal injected fetch without streams: read it whole, then apply the cap.
    const text = await response.text();
    if (text.length > config.maxResponseBytes) throw tooLarge(config);
    return text;
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > config.maxResponseBytes) {
      reader.cancel().catch(() => undefined);
      throw tooLarge(config);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function tooLarge(config: ChatCallConfig): ExchangeFailure {
  return new ExchangeFailure(failure('response_too_large', `response body exceeds maxResponseBytes (${config.maxResponseBytes} bytes); reading stopped`));
}

/** Where a redirect response points, or a refusal (cross-origin, method-changing, no location). */
function redirectTarget(response: Response, from: string, config: ChatCallConfig): string {
  const status = response.status;
  const location = response.headers.get('location');
  if (response.type === 'opaqueredirect' || location === null) {
    throw new ExchangeFailure(failure('redirect_refused', `refused a redirect (HTTP ${status}) whose target the runtime does not expose`, { status }));
  }
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new ExchangeFailure(failure('redirect_refused', detail(config, `refused a redirect (HTTP ${status}) to an invalid location: ${location}`), { status }));
  }
  const shown = config.redact(target.href);
  if (target.origin !== new URL(from).origin) {
    throw new ExchangeFailure(
      failure('redirect_refused', `refused a redirect (HTTP ${status}) to another origin, which would receive the prompt and credentials: ${shown}`, {
        status,
      }),
    );
  }
  if (status !== 307 && status !== 308) {
    throw new ExchangeFailure(failure('redirect_refused', `refused a redirect (HTTP ${status}) that would resend the request as GET: ${shown}`, { status }));
  }
  return target.href;
}

/** The exchange itself: POST, same-origin 307/308 redirects, body read within the byte cap. */
async function exchange(config: ChatCallConfig, body: string, signal: AbortSignal): Promise<ChatOutcome> {
  let url = config.url;
  let response: Response;
  for (let hops = 0; ; hops++) {
    // Called detached: browsers reject `fetch` invoked with a `this` other than the global object.
    const fetchFn = config.fetch;
    response = await fetchFn(url, { method: 'POST', headers: config.headers, body, signal, redirect: 'manual' });
    const isRedirect = response.type === 'opaqueredirect' || (response.status >= 300 && response.status <= 399 && response.status !== 304);
    if (!isRedirect) break;
    response.body?.cancel().catch(() => undefined);
    const next = redirectTarget(response, url, config);
    if (hops >= MAX_REDIRECTS) {
      throw new ExchangeFailure(failure('redirect_refused', `refused more than ${MAX_REDIRECTS} redirects`, { status: response.status }));
    }
    url = next;
  }
  const text = await readCapped(response, config);
  const status = response.status;
  if (status < 200 || status > 299) {
    const message = detail(config, `HTTP ${status} ${response.statusText}: ${text}`);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), config.now());
    const extra = retryAfterMs === undefined ? { status } : { status, retryAfterMs };
    if (status === 429) return failure('rate_limited', message, extra);
    if (status >= 500) return failure('server_error', message, extra);
    return failure('client_error', message, { status });
  }
  const parsed = safeJsonParse(text);
  const choices = (parsed?.value as { choices?: unknown } | null | undefined)?.choices;
  const content = Array.isArray(choices) ? (choices[0] as { message?: { content?: unknown } } | undefined)?.message?.content : undefined;
  if (typeof content !== 'string') {
    return failure('malformed_response', detail(config, `HTTP ${status} body is not a Chat Completions response: ${text}`), { status });
  }
  return { ok: true, content, usage: readUsage((parsed?.value as { usage?: unknown }).usage) };
}

/**
 * One POST to an OpenAI-compatible Chat Completions endpoint with global-`fetch` semantics. Resolves
 * to the first choice's message text, or a classified {@link LlmFailure}; rejects only with the
 * caller's abort reason when `signal` aborts.
 *
 * Hard limits, whatever the server or the runtime's `fetch` does:
 * - **time**: the call is raced against its own `timeoutMs` timer, so it settles by then (as a
 *   `timeout`) even when `fetch` ignores the abort (Node 20 does while decompressing); the request is
 *   aborted at the same moment;
 * - **size**: the body is read as a stream and cancelled past `maxResponseBytes` decoded bytes, so a
 *   gzip bomb or an endless body costs at most that much memory;
 * - **redirects**: only same-origin 307/308 redirects are followed (at most `MAX_REDIRECTS`);
 *   any other redirect fails as `redirect_refused` before anything is sent to its target.
 * Messages are redacted, then cut to {@link ERROR_BODY_CHARS} characters of body.
 */
export function callChatCompletion(config: ChatCallConfig, body: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<ChatOutcome> {
  return new Promise<ChatOutcome>((resolve, reject) => {
    const controller = new AbortController();
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      finish();
    };
    const onAbort = () => {
      controller.abort(signal.reason);
      settle(() => reject(signal.reason));
    };
    const timer = setTimeout(() => {
      controller.abort(new Error(`request timed out after ${config.timeoutMs} ms`));
      settle(() => resolve(failure('timeout', `no complete response within ${config.timeoutMs} ms`)));
    }, config.timeoutMs);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    exchange(config, JSON.stringify(body), controller.signal).then(
      (outcome) => settle(() => resolve(outcome)),
      (error: unknown) => {
        if (error instanceof ExchangeFailure) return settle(() => resolve(error.outcome));
        // Past the deadline or the caller's abort this is a no-op: the call has already settled.
        controller.abort();
        settle(() => resolve(failure('network', detail(config, `fetch failed: ${describeError(error)}`))));
      },
    );
  });
}

/** An error's message plus its `cause` chain (undici hides the useful part there), without throwing. */
function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    try {
      parts.push(current instanceof Error ? current.message : String(current));
      current = current instanceof Error ? (current as { cause?: unknown }).cause : undefined;
    } catch {
      parts.push('(unprintable error)');
      break;
    }
  }
  return parts.join(': ');
}
