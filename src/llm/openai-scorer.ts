import { assertKnownOptions, numberOption } from '../_internals/options.js';
import type { ScoreRequestItem, SerendipityScorer } from '../cache/scorer.js';
import { RerankError } from '../errors/rerank-error.js';
import { abortableSleep } from './abort.js';
import type { ChatMessage } from './chat.js';
import { callChatCompletion, type ChatCallConfig, type LlmFailure, type TokenUsage } from './chat-completions.js';
import { parseListwiseScores } from './parse-listwise.js';
import { parseSerendipityScore } from './parse.js';
import { secretRedactor, urlSecrets } from './redact.js';
import { buildListwisePrompt, buildScorePrompt, PROMPT_STYLES, type PointwiseStyle, type PromptStyle } from './prompts.js';
import { DEFAULT_PROFILE_TOKENS } from './render-profile.js';
import { DEFAULT_MAX_UNTRUSTED_CHARS } from './untrusted.js';

/** Default per-call timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default retries of a retryable failure (429, 5xx, network). */
export const DEFAULT_MAX_RETRIES = 2;
/** Default longest wait before a retry; a longer `Retry-After` fails the call at once (and is reported). */
export const DEFAULT_MAX_RETRY_DELAY_MS = 30_000;
/** Default cap on a server's `Retry-After` (10 minutes): a longer one is read as this long. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 600_000;
/** Default cap on the decoded size of one response body (1 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;
/** Default first backoff when the server sends no `Retry-After`; doubles per retry. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
/** Default number of calls in flight at once. */
export const DEFAULT_CONCURRENCY = 4;
/** Default items per listwise call. */
export const DEFAULT_LIST_SIZE = 10;
/** Default sampling temperature (0: as repeatable as the endpoint allows). */
export const DEFAULT_TEMPERATURE = 0;
/** Default `max_tokens` per style; listwise gets this much per item plus a base. */
export const DEFAULT_MAX_TOKENS: Readonly<Record<PromptStyle, number>> = { direct: 32, indirect: 64, cot: 512, listwise: 24 };

/** Options of {@link openAICompatibleScorer}. */
export interface OpenAICompatibleScorerOptions {
  /** API root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`; `/chat/completions` is appended. */
  readonly baseURL: string;
  /** Model name sent as `model`. */
  readonly model: string;
  /**
   * Bearer token. Sent only in the `Authorization` header; redacted from every failure message.
   * @defaultValue none (no `Authorization` header)
   */
  readonly apiKey?: string;
  /**
   * The fetch implementation.
   * @defaultValue `globalThis.fetch`
   */
  readonly fetch?: typeof fetch;
  /**
   * Prompt style (see `PromptStyle`).
   * @defaultValue `'direct'`
   */
  readonly style?: PromptStyle;
  /**
   * Text describing an item (title, genres, a short blurb); untrusted, escaped in the prompt.
   * @defaultValue the item id itself
   */
  readonly describeItem?: (itemId: string) => string | Promise<string>;
  /**
   * Time allowed for one call, headers and body. A hard limit: the call settles by then (as a
   * `timeout`) even when `fetch` ignores the abort.
   * @defaultValue {@link DEFAULT_TIMEOUT_MS} (30 000)
   */
  readonly timeoutMs?: number;
  /**
   * Largest decoded response body read, in bytes; past it the body stream is cancelled and the call
   * fails as `response_too_large` (guards against gzip bombs and endless bodies).
   * @defaultValue {@link DEFAULT_MAX_RESPONSE_BYTES} (1 048 576)
   */
  readonly maxResponseBytes?: number;
  /**
   * Cap on a server's `Retry-After`, in ms: a longer one (e.g. `Retry-After: 99999999`) is read as
   * this long, so one bad header cannot disable the scorer for years.
   * @defaultValue {@link DEFAULT_MAX_RETRY_AFTER_MS} (600 000, 10 minutes)
   */
  readonly maxRetryAfterMs?: number;
  /**
   * Retries of a retryable failure (429, 5xx, network errors; not timeouts).
   * @defaultValue {@link DEFAULT_MAX_RETRIES} (2)
   */
  readonly maxRetries?: number;
  /**
   * Longest wait before a retry. A longer `Retry-After` ends the call as failed.
   * @defaultValue {@link DEFAULT_MAX_RETRY_DELAY_MS} (30 000)
   */
  readonly maxRetryDelayMs?: number;
  /**
   * First backoff when the server sends no `Retry-After` (then ×2 per retry).
   * @defaultValue {@link DEFAULT_RETRY_BASE_DELAY_MS} (500)
   */
  readonly retryBaseDelayMs?: number;
  /**
   * Calls in flight at once.
   * @defaultValue {@link DEFAULT_CONCURRENCY} (4)
   */
  readonly concurrency?: number;
  /**
   * Items per call in the listwise style (items of one `profileKey` are grouped).
   * @defaultValue {@link DEFAULT_LIST_SIZE} (10)
   */
  readonly listSize?: number;
  /**
   * Sampling temperature.
   * @defaultValue {@link DEFAULT_TEMPERATURE} (0)
   */
  readonly temperature?: number;
  /**
   * `max_tokens` per call (listwise: per item).
   * @defaultValue {@link DEFAULT_MAX_TOKENS} for the style
   */
  readonly maxTokens?: number;
  /**
   * Token budget of the profile block.
   * @defaultValue {@link DEFAULT_PROFILE_TOKENS} (300)
   */
  readonly profileTokens?: number;
  /**
   * Characters kept from each item description.
   * @defaultValue {@link DEFAULT_MAX_UNTRUSTED_CHARS} (600)
   */
  readonly maxItemChars?: number;
  /**
   * Extra request headers (e.g. `OpenAI-Organization`).
   * @defaultValue `{}`
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Called with the token usage of every response that reports it.
   * @defaultValue none
   */
  readonly onUsage?: (usage: TokenUsage) => void;
  /**
   * Called once per failed call (after retries), with the items it cost.
   * @defaultValue none
   */
  readonly onFailure?: (failure: LlmFailure) => void;
  /**
   * Waits before a retry; injectable so tests need not wait in real time.
   * @defaultValue an abortable `setTimeout`
   */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Clock in ms, for HTTP-date `Retry-After` and the rate-limit gate.
   * @defaultValue `Date.now`
   */
  readonly now?: () => number;
}

/** Running totals of an {@link OpenAICompatibleScorer}. */
export interface ScorerStats {
  /** HTTP calls made, retries included. */
  readonly calls: number;
  /** Retries among them. */
  readonly retries: number;
  /** Pairs scored. */
  readonly scored: number;
  /** Pairs that came back `null`. */
  readonly failed: number;
  /** Summed token usage, from responses that reported it. */
  readonly usage: TokenUsage;
  /** The last `Retry-After` received, in ms, capped at `maxRetryAfterMs` (undefined before any). */
  readonly lastRetryAfterMs: number | undefined;
  /** Clock time before which no new call is started (0 when not rate-limited). */
  readonly rateLimitedUntil: number;
  /** The current back-off: ms from now until new calls are sent again (0 when not rate-limited). */
  readonly backoffMs: number;
}

/** A {@link SerendipityScorer} with running statistics. */
export interface OpenAICompatibleScorer extends SerendipityScorer {
  /** A snapshot of the running totals. */
  stats(): ScorerStats;
}

const OPTION_KEYS = [
  'baseURL',
  'model',
  'apiKey',
  'fetch',
  'style',
  'describeItem',
  'timeoutMs',
  'maxResponseBytes',
  'maxRetryAfterMs',
  'maxRetries',
  'maxRetryDelayMs',
  'retryBaseDelayMs',
  'concurrency',
  'listSize',
  'temperature',
  'maxTokens',
  'profileTokens',
  'maxItemChars',
  'headers',
  'onUsage',
  'onFailure',
  'sleep',
  'now',
] as const;

const OWNER = 'openAICompatibleScorer';
/** Extra header values at least this long are treated as secrets (e.g. an Azure `api-key`) and redacted. */
const MIN_SECRET_HEADER_CHARS = 8;

function requireString(name: string, value: unknown, fix: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new RerankError('INVALID_OPTION', `${OWNER}: option "${name}" must be a non-empty string; ${fix}.`, { field: `options.${name}` });
  }
  return value;
}

function optionalFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new RerankError('INVALID_OPTION', `${OWNER}: option "${name}" must be a function.`, { field: `options.${name}` });
  }
  return value;
}

/** One unit of work: a call covering some batch positions. */
interface Task {
  readonly positions: readonly number[];
}

/** Runs `worker` over `tasks` with at most `limit` in flight; rejects on the first rejection. */
async function runPool(tasks: readonly Task[], limit: number, worker: (task: Task) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) await worker(tasks[next++] as Task);
  });
  await Promise.all(lanes);
}

/**
 * A {@link SerendipityScorer} over any OpenAI-compatible Chat Completions endpoint (OpenAI, Azure
 * OpenAI, vLLM, llama.cpp server, Ollama, LiteLLM, …), using only `fetch`: runs in Node >= 20.19,
 * browsers and edge runtimes. Plug it into the nearline cache (`createScoreCache({ scorer })`) as in
 * SERAL (arXiv 2502.13539), optionally through `calibratedScorer`.
 *
 * Per batch: pointwise styles make one call per pair; `listwise` groups pairs by `profileKey` into
 * calls of `listSize` items. Prompts come from `buildScorePrompt`/`buildListwisePrompt` (untrusted
 * text escaped), answers go through `parseSerendipityScore`/`parseListwiseScores`; a pair whose
 * answer is rejected (or missing from a listwise answer) gets `null`, the rest keep their scores.
 *
 * Failures: HTTP 429 and 5xx and network errors are retried up to `maxRetries` times after the
 * server's `Retry-After` (else exponential backoff); a `Retry-After` also holds every new call of
 * this scorer until it passes (calls that would wait longer than `maxRetryDelayMs` fail at once as
`rate_limited` without being sent), and is exposed in `stats().lastRetryAfterMs`/`backoffMs` and in the
 * failure. A `Retry-After` longer than `maxRetryAfterMs` (default 10 minutes) is read as that cap.
 * Other 4xx are permanent (no retry). Timeouts are not retried now (the cache retries later). Each
 * final failure is reported once to `onFailure`; its pairs get `null`. When `signal` aborts, in-flight
 * requests are aborted and the promise rejects with the abort reason.
 *
 * Hard limits (see `callChatCompletion`): each call settles within `timeoutMs` even if `fetch` ignores
 * the abort; bodies are read as streams and cut past `maxResponseBytes`; only same-origin 307/308
 * redirects are followed, any other fails as `redirect_refused` before its target sees a byte.
 * Secrets never appear in messages: the API key, URL credentials (of `baseURL` and of any URL in a
 * message) and extra header values of 8 or more characters are redacted before the text is cut.
 *
 * @throws {@link RerankError} `UNKNOWN_OPTION`/`INVALID_OPTION` for bad options (synchronously).
 */
export function openAICompatibleScorer(options: OpenAICompatibleScorerOptions): OpenAICompatibleScorer {
  assertKnownOptions(OWNER, options, OPTION_KEYS);
  const baseURL = requireString('baseURL', options?.baseURL, "e.g. 'http://127.0.0.1:8000/v1'").replace(/\/+$/, '');
  const model = requireString('model', options.model, 'pass the model name the endpoint serves');
  const apiKey = options.apiKey === undefined ? undefined : requireString('apiKey', options.apiKey, 'omit it for endpoints without auth');
  const style = options.style ?? 'direct';
  if (!PROMPT_STYLES.includes(style)) {
    throw new RerankError('INVALID_OPTION', `${OWNER}: option "style" must be one of ${PROMPT_STYLES.join(', ')}, got ${String(style)}.`, {
      field: 'options.style',
      value: style,
    });
  }
  const fetchImpl = optionalFunction('fetch', options.fetch) ?? (globalThis.fetch as typeof fetch | undefined);
  if (typeof fetchImpl !== 'function') {
    throw new RerankError('INVALID_OPTION', `${OWNER}: no global fetch in this runtime; pass options.fetch.`, { field: 'options.fetch' });
  }
  const describeItem = optionalFunction('describeItem', options.describeItem) ?? ((itemId: string) => itemId);
  const onUsage = optionalFunction('onUsage', options.onUsage);
  const onFailure = optionalFunction('onFailure', options.onFailure);
  const sleep = optionalFunction('sleep', options.sleep) ?? abortableSleep;
  const now = optionalFunction('now', options.now) ?? Date.now;
  const positiveInt = { min: 1, integer: true };
  const timeoutMs = numberOption(OWNER, 'timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS, positiveInt);
  const maxResponseBytes = numberOption(OWNER, 'maxResponseBytes', options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, positiveInt);
  const maxRetryAfterMs = numberOption(OWNER, 'maxRetryAfterMs', options.maxRetryAfterMs, DEFAULT_MAX_RETRY_AFTER_MS, { min: 0 });
  const maxRetries = numberOption(OWNER, 'maxRetries', options.maxRetries, DEFAULT_MAX_RETRIES, { min: 0, integer: true });
  const maxRetryDelayMs = numberOption(OWNER, 'maxRetryDelayMs', options.maxRetryDelayMs, DEFAULT_MAX_RETRY_DELAY_MS, { min: 0 });
  const retryBaseDelayMs = numberOption(OWNER, 'retryBaseDelayMs', options.retryBaseDelayMs, DEFAULT_RETRY_BASE_DELAY_MS, { min: 0 });
  const concurrency = numberOption(OWNER, 'concurrency', options.concurrency, DEFAULT_CONCURRENCY, positiveInt);
  const listSize = numberOption(OWNER, 'listSize', options.listSize, DEFAULT_LIST_SIZE, positiveInt);
  const temperature = numberOption(OWNER, 'temperature', options.temperature, DEFAULT_TEMPERATURE, { min: 0, max: 2 });
  const maxTokens = numberOption(OWNER, 'maxTokens', options.maxTokens, DEFAULT_MAX_TOKENS[style], positiveInt);
  const budget = {
    profileTokens: numberOption(OWNER, 'profileTokens', options.profileTokens, DEFAULT_PROFILE_TOKENS, positiveInt),
    maxItemChars: numberOption(OWNER, 'maxItemChars', options.maxItemChars, DEFAULT_MAX_UNTRUSTED_CHARS, positiveInt),
  };
  const extraHeaders = options.headers ?? {};
  if (extraHeaders === null || typeof extraHeaders !== 'object' || Object.values(extraHeaders).some((v) => typeof v !== 'string')) {
    throw new RerankError('INVALID_OPTION', `${OWNER}: option "headers" must be an object of string values.`, { field: 'options.headers' });
  }

  const headerSecrets = Object.values(extraHeaders).filter((value) => value.length >= MIN_SECRET_HEADER_CHARS);
  const redact = secretRedactor([apiKey, ...urlSecrets(baseURL), ...headerSecrets]);
  const call: ChatCallConfig = {
    url: `${baseURL}/chat/completions`,
    headers: {
      ...extraHeaders,
      'content-type': 'application/json',
      ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
    },
    fetch: fetchImpl,
    timeoutMs,
    maxResponseBytes,
    redact,
    now,
  };

  let calls = 0;
  let retries = 0;
  let scored = 0;
  let failed = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  let totalTokens = 0;
  let lastRetryAfterMs: number | undefined;
  let rateLimitedUntil = 0;

  const report = (failure: LlmFailure, itemIds: readonly string[]) => {
    onFailure?.({ ...failure, itemIds });
  };

  /** Sends one request with the retry policy; returns the answer text or undefined after reporting. */
  async function complete(messages: ChatMessage[], tokens: number, itemIds: readonly string[], signal: AbortSignal): Promise<string | undefined> {
    const body = { model, messages, temperature, max_tokens: tokens };
    for (let attempt = 0; ; attempt++) {
      const wait = rateLimitedUntil - now();
      if (wait > maxRetryDelayMs) {
        const message = `not sent: the server asked to wait ${wait} ms (Retry-After), more than maxRetryDelayMs`;
        report({ kind: 'rate_limited', retryable: true, retryAfterMs: wait, message }, itemIds);
        return undefined;
      }
      if (wait > 0) await sleep(wait, signal);
      if (signal.aborted) throw signal.reason;
      calls++;
      const outcome = await callChatCompletion(call, body, signal);
      if (outcome.ok) {
        if (outcome.usage !== undefined) {
          promptTokens += outcome.usage.promptTokens;
          completionTokens += outcome.usage.completionTokens;
          totalTokens += outcome.usage.totalTokens;
          onUsage?.(outcome.usage);
        }
        return outcome.content;
      }
      const failure = capRetryAfter(outcome.failure);
      if (failure.retryAfterMs !== undefined) {
        lastRetryAfterMs = failure.retryAfterMs;
        rateLimitedUntil = Math.max(rateLimitedUntil, now() + failure.retryAfterMs);
      }
      const delay = failure.retryAfterMs ?? retryBaseDelayMs * 2 ** attempt;
      const retry = failure.retryable && failure.kind !== 'timeout' && attempt < maxRetries && delay <= maxRetryDelayMs;
      if (!retry) {
        report(failure, itemIds);
        return undefined;
      }
      retries++;
      if (failure.retryAfterMs === undefined) await sleep(delay, signal);
    }
  }

  function capRetryAfter(failure: LlmFailure): LlmFailure {
    const asked = failure.retryAfterMs;
    return asked === undefined || asked <= maxRetryAfterMs ? failure : { ...failure, retryAfterMs: maxRetryAfterMs };
  }

  async function describe(itemId: string): Promise<string | undefined> {
    try {
      const text = await describeItem(itemId);
      if (typeof text === 'string') return text;
    } catch {
      // reported below
    }
    report({ kind: 'invalid_item', retryable: false, message: `describeItem failed or returned a non-string for this item` }, [itemId]);
    return undefined;
  }

  const scorer = async (batch: readonly ScoreRequestItem[], signal: AbortSignal): Promise<readonly (number | null)[]> => {
    if (signal.aborted) throw signal.reason;
    const results: (number | null)[] = batch.map(() => null);
    const tasks: Task[] = [];
    if (style === 'listwise') {
      const groups = new Map<string, number[]>();
      batch.forEach((pair, position) => {
        const group = groups.get(pair.profileKey);
        if (group === undefined) groups.set(pair.profileKey, [position]);
        else group.push(position);
      });
      for (const positions of groups.values()) {
        for (let start = 0; start < positions.length; start += listSize) tasks.push({ positions: positions.slice(start, start + listSize) });
      }
    } else {
      batch.forEach((_, position) => tasks.push({ positions: [position] }));
    }

    await runPool(tasks, concurrency, async ({ positions }) => {
      const pairs = positions.map((position) => batch[position] as ScoreRequestItem);
      const itemIds = pairs.map((pair) => pair.itemId);
      const texts: string[] = [];
      const described: number[] = [];
      for (let i = 0; i < pairs.length; i++) {
        const text = await describe(itemIds[i] as string);
        if (text !== undefined) {
          texts.push(text);
          described.push(positions[i] as number);
        }
      }
      if (texts.length === 0) return;
      const profile = (pairs[0] as ScoreRequestItem).profile;
      const describedIds = described.map((position) => (batch[position] as ScoreRequestItem).itemId);
      if (style === 'listwise') {
        const prompt = buildListwisePrompt(profile, texts, budget);
        const answer = await complete(prompt.messages, maxTokens * texts.length + maxTokens, describedIds, signal);
        if (answer === undefined) return;
        const parsed = parseListwiseScores(answer, prompt.refs);
        const scores = parsed.ok ? parsed.scores : parsed.partial;
        scores.forEach((score, i) => {
          results[described[i] as number] = score;
        });
        if (!parsed.ok) {
          const lost = describedIds.filter((_, i) => scores[i] === null);
          report({ kind: 'rejected_answer', retryable: false, reason: parsed.reason, message: `listwise answer rejected: ${parsed.reason}` }, lost);
        }
        return;
      }
      const prompt = buildScorePrompt(style as PointwiseStyle, profile, texts[0] as string, budget);
      const answer = await complete(prompt, maxTokens, describedIds, signal);
      if (answer === undefined) return;
      const parsed = parseSerendipityScore(answer);
      if (parsed.ok) results[described[0] as number] = parsed.score;
      else {
        const message = `answer rejected: ${parsed.reason}${parsed.detail === undefined ? '' : ` (${parsed.detail})`}`;
        report({ kind: 'rejected_answer', retryable: false, reason: parsed.reason, message }, describedIds);
      }
    });

    for (const score of results) {
      if (score === null) failed++;
      else scored++;
    }
    return results;
  };

  return Object.assign(scorer, {
    stats: (): ScorerStats => ({
      calls,
      retries,
      scored,
      failed,
      usage: { promptTokens, completionTokens, totalTokens },
      lastRetryAfterMs,
      rateLimitedUntil,
      backoffMs: Math.max(0, rateLimitedUntil - now()),
    }),
  });
}
