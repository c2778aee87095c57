// Edge cases of one Chat Completions exchange, through openAICompatibleScorer with an injected fetch
// (no network): usage parsing, status boundaries, failure shapes, messages and option validation.
import { describe, expect, it } from 'vitest';
import type { ScoreRequestItem } from '../../src/cache/scorer.js';
import type { LlmFailure, TokenUsage } from '../../src/llm/chat-completions.js';
import { openAICompatibleScorer, type OpenAICompatibleScorerOptions } from '../../src/llm/openai-scorer.js';

const pair: ScoreRequestItem = { profileKey: 'p', profile: 'x', itemId: 'i' };

/** A Response-like object with any status (the Response constructor refuses 1xx and 0). */
function reply(status: number, body: string | null, headers: Record<string, string> = {}): typeof fetch {
  return (async () =>
    ({
      status,
      statusText: '',
      type: 'basic',
      headers: new Headers(headers),
      body: body === null ? null : new Response(body).body,
    }) as unknown as Response) as typeof fetch;
}

async function run(fetchImpl: typeof globalThis.fetch, extra: Partial<OpenAICompatibleScorerOptions> = {}) {
  const failures: LlmFailure[] = [];
  const usage: TokenUsage[] = [];
  const scorer = openAICompatibleScorer({
    baseURL: 'http://127.0.0.1:9/v1',
    model: 'm',
    fetch: fetchImpl,
    maxRetries: 0,
    onFailure: (f) => failures.push(f),
    onUsage: (u) => usage.push(u),
    ...extra,
  });
  const scores = await scorer([pair], new AbortController().signal);
  return { scores, failures, usage };
}

const ok = (usage?: unknown) => JSON.stringify({ choices: [{ message: { content: '{"score": 0.5}' } }], ...(usage === undefined ? {} : { usage }) });

describe('one exchange, edge cases', () => {
  it('reads usage, with non-finite or missing counts as 0 and a missing total as their sum', async () => {
    expect((await run(reply(200, ok({ prompt_tokens: 2, completion_tokens: 5, total_tokens: 9 })))).usage).toEqual([
      { promptTokens: 2, completionTokens: 5, totalTokens: 9 },
    ]);
    expect((await run(reply(200, ok({ prompt_tokens: '2', completion_tokens: 3 })))).usage).toEqual([{ promptTokens: 0, completionTokens: 3, totalTokens: 3 }]);
    expect((await run(reply(200, ok({ prompt_tokens: 4, completion_tokens: 'x', total_tokens: '9' })))).usage).toEqual([
      { promptTokens: 4, completionTokens: 0, totalTokens: 4 },
    ]);
    expect((await run(reply(200, ok(null)))).usage).toEqual([]);
    expect((await run(reply(200, ok()))).usage).toEqual([]);
  });

  it('2xx is success at both ends; 199 and 300 are not', async () => {
    expect((await run(reply(200, ok()))).scores).toEqual([0.5]);
    expect((await run(reply(299, ok()))).scores).toEqual([0.5]);
    expect((await run(reply(199, ok()))).failures[0]).toMatchObject({ kind: 'client_error', status: 199 });
    expect((await run(reply(300, ok()))).failures[0]).toMatchObject({ kind: 'redirect_refused', status: 300 });
  });

  it('a 5xx without Retry-After carries no retryAfterMs; an empty body gives an exact message', async () => {
    const { failures } = await run(reply(503, 'down'));
    expect(failures[0]).toEqual({ kind: 'server_error', retryable: true, status: 503, message: 'HTTP 503 : down', itemIds: ['i'] });
    const empty = await run(reply(200, null));
    expect(empty.failures[0]).toEqual({
      kind: 'malformed_response',
      retryable: false,
      status: 200,
      message: 'HTTP 200 body is not a Chat Completions response: ',
      itemIds: ['i'],
    });
  });

  it('a network failure message follows the cause chain, at most 4 deep', async () => {
    const chain = (depth: number): Error => (depth === 0 ? new Error('e0') : new Error(`e${depth}`, { cause: chain(depth - 1) }));
    const failing = (error: unknown) => (async () => Promise.reject(error)) as typeof fetch;
    expect((await run(failing(chain(1)))).failures[0]?.message).toBe('fetch failed: e1: e0');
    expect((await run(failing(chain(6)))).failures[0]?.message).toBe('fetch failed: e6: e5: e4: e3');
    expect((await run(failing('plain'))).failures[0]?.message).toBe('fetch failed: plain');
  });

  it('a timeout says how long it waited', async () => {
    const never = (() => new Promise<Response>(() => undefined)) as typeof fetch;
    expect((await run(never, { timeoutMs: 20 })).failures[0]).toMatchObject({ kind: 'timeout', message: 'no complete response within 20 ms' });
  });

  it('validates every option with a typed error naming the field', () => {
    const base = { baseURL: 'http://x/v1', model: 'm' };
    const field = (extra: Record<string, unknown>) => {
      try {
        openAICompatibleScorer({ ...base, ...extra } as OpenAICompatibleScorerOptions);
      } catch (error) {
        return `${(error as { code: string }).code} ${(error as { field: string }).field}`;
      }
      return 'no error';
    };
    expect(field({ model: '  ' })).toBe('INVALID_OPTION options.model');
    expect(field({ apiKey: '' })).toBe('INVALID_OPTION options.apiKey');
    expect(field({ baseURL: 42 })).toBe('INVALID_OPTION options.baseURL');
    for (const name of ['fetch', 'describeItem', 'onUsage', 'onFailure', 'sleep', 'now']) expect(field({ [name]: 'x' })).toBe(`INVALID_OPTION options.${name}`);
    expect(field({ timeoutMs: 1.5 })).toBe('INVALID_OPTION options.timeoutMs');
    expect(field({ maxResponseBytes: 0 })).toBe('INVALID_OPTION options.maxResponseBytes');
    expect(field({ maxRetryAfterMs: -1 })).toBe('INVALID_OPTION options.maxRetryAfterMs');
    expect(field({ headers: { a: 1 } })).toBe('INVALID_OPTION options.headers');
    expect(field({ maxRetryAfterMs: 0, maxResponseBytes: 1 })).toBe('no error');
  });
});
