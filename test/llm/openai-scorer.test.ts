import { afterEach, describe, expect, it } from 'vitest';
import {
  startFakeOpenAIServer,
  type FakeOpenAIServer,
  type FakeReply,
  type ReceivedRequest,
} from '../../examples/llm-nearline/fake-openai-server.js';
import type { ScoreRequestItem } from '../../src/cache/scorer.js';
import type { LlmFailure, TokenUsage } from '../../src/llm/chat-completions.js';
import { openAICompatibleScorer, type OpenAICompatibleScorerOptions } from '../../src/llm/openai-scorer.js';
import { buildCognitionProfile } from '../../src/llm/profile.js';
import { buildScorePrompt } from '../../src/llm/prompts.js';
import { encodeUntrusted } from '../../src/llm/untrusted.js';

const API_KEY = 'sk-test-SECRET-1234567890';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(respond?: (request: ReceivedRequest) => FakeReply | Promise<FakeReply>): Promise<FakeOpenAIServer> {
  server = await startFakeOpenAIServer(respond === undefined ? {} : { respond });
  return server;
}

const profile = buildCognitionProfile(
  [
    ...Array.from({ length: 30 }, (_, i) => ({ id: `d${i}`, categories: ['drama'], title: `Drama ${i}` })),
    { id: 'j1', categories: ['jazz'], title: 'A jazz film' },
  ],
  { edgeMaxShare: 0.05 },
);

function pairs(...itemIds: string[]): ScoreRequestItem[] {
  return itemIds.map((itemId) => ({ profileKey: profile.key, profile, itemId }));
}

function make(s: FakeOpenAIServer, extra: Partial<OpenAICompatibleScorerOptions> = {}) {
  const failures: LlmFailure[] = [];
  const sleeps: number[] = [];
  const scorer = openAICompatibleScorer({
    baseURL: s.baseURL,
    model: 'judge-1',
    apiKey: API_KEY,
    onFailure: (f) => failures.push(f),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  return { scorer, failures, sleeps };
}

const signal = () => new AbortController().signal;

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('openAICompatibleScorer against a local server', () => {
  it('sends the documented Chat Completions request and returns parsed scores', async () => {
    const s = await start((request) => {
      const user = request.body.messages?.[1]?.content ?? '';
      return { content: user.includes(encodeUntrusted('Item A')) ? '{"score": 0.25}' : '```json\n{"score": 0.75}\n```' };
    });
    const usage: TokenUsage[] = [];
    const { scorer, failures } = make(s, { describeItem: (id) => `Item ${id}`, onUsage: (u) => usage.push(u) });
    expect(await scorer(pairs('A', 'B'), signal())).toEqual([0.25, 0.75]);
    expect(failures).toEqual([]);
    expect(s.requests).toHaveLength(2);
    const first = s.requests.find((r) => (r.body.messages?.[1]?.content ?? '').includes('Item A'));
    expect(first?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(first?.headers['content-type']).toBe('application/json');
    expect(first?.body).toEqual({ model: 'judge-1', messages: buildScorePrompt('direct', profile, 'Item A'), temperature: 0, max_tokens: 32 });
    // usage as reported by the server: ceil(prompt chars / 4) and ceil(answer chars / 4)
    const expected = s.requests.map((r) => {
      const promptChars = (r.body.messages ?? []).reduce((sum, m) => sum + m.content.length, 0);
      const answer = (r.body.messages?.[1]?.content ?? '').includes(encodeUntrusted('Item A')) ? '{"score": 0.25}' : '```json\n{"score": 0.75}\n```';
      return Math.ceil(promptChars / 4) + Math.ceil(answer.length / 4);
    });
    expect(usage.map((u) => u.totalTokens).sort()).toEqual([...expected].sort());
    expect(scorer.stats()).toMatchObject({ calls: 2, retries: 0, scored: 2, failed: 0, usage: { totalTokens: expected[0]! + expected[1]! } });
  });

  it('uses an injected fetch, called detached (browsers reject fetch called on another object)', async () => {
    const s = await start(() => ({ content: '{"score": 0.5}' }));
    const seen: unknown[] = [];
    const { scorer } = make(s, {
      fetch: function (this: unknown, input: Parameters<typeof fetch>[0], init?: RequestInit) {
        seen.push(this);
        return globalThis.fetch(input, init);
      } as typeof fetch,
    });
    expect(await scorer(pairs('A'), signal())).toEqual([0.5]);
    expect(seen).toEqual([undefined]);
  });

  it('describes items by their id by default', async () => {
    const s = await start(() => ({ content: '{"score": 0.5}' }));
    const { scorer } = make(s);
    await scorer(pairs('tt0133093'), signal());
    expect(s.requests[0]?.body.messages?.[1]?.content).toContain(`<item ref="i1">\n${encodeUntrusted('tt0133093')}\n</item>`);
  });

  it('429 with Retry-After: waits the given time, retries, and exposes the delay', async () => {
    const s = await start((request) => (request.index === 0 ? { status: 429, headers: { 'retry-after': '2' }, rawBody: '{"error":"slow down"}' } : { content: '{"score": 0.6}' }));
    const clock = 1_000_000;
    const { scorer, failures, sleeps } = make(s, { now: () => clock });
    expect(await scorer(pairs('A'), signal())).toEqual([0.6]);
    expect(sleeps).toEqual([2000]);
    expect(failures).toEqual([]);
    expect(scorer.stats()).toMatchObject({ calls: 2, retries: 1, lastRetryAfterMs: 2000, rateLimitedUntil: 1_002_000 });
  });

  it('429 without retries left: the pair fails as retryable, with retryAfterMs (HTTP-date form too)', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const s = await start(() => ({ status: 429, headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }, rawBody: 'rate limited' }));
    const { scorer, failures } = make(s, { maxRetries: 0, now: () => now });
    expect(await scorer(pairs('A'), signal())).toEqual([null]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ kind: 'rate_limited', retryable: true, status: 429, retryAfterMs: 3000, itemIds: ['A'] });
    expect(scorer.stats()).toMatchObject({ calls: 1, failed: 1, lastRetryAfterMs: 3000 });
  });

  it('holds new calls while rate-limited and fails them unsent when the wait exceeds maxRetryDelayMs', async () => {
    const s = await start(() => ({ status: 429, headers: { 'retry-after': '60' }, rawBody: '' }));
    const { scorer, failures } = make(s, { maxRetries: 3, maxRetryDelayMs: 10_000, now: () => 0, concurrency: 1 });
    expect(await scorer(pairs('A', 'B'), signal())).toEqual([null, null]);
    // A was sent once (60 s > 10 s: no retry); B was never sent.
    expect(s.requests).toHaveLength(1);
    expect(failures.map((f) => [f.kind, f.retryAfterMs, f.itemIds])).toEqual([
      ['rate_limited', 60_000, ['A']],
      ['rate_limited', 60_000, ['B']],
    ]);
  });

  it('500: retried with exponential backoff, then succeeds', async () => {
    const s = await start((request) => (request.index < 2 ? { status: 503, rawBody: 'overloaded' } : { content: '{"score": 0.3}' }));
    const { scorer, failures, sleeps } = make(s, { retryBaseDelayMs: 100 });
    expect(await scorer(pairs('A'), signal())).toEqual([0.3]);
    expect(sleeps).toEqual([100, 200]);
    expect(failures).toEqual([]);
  });

  it('500 every time: the pair fails after maxRetries + 1 calls, reported once as retryable', async () => {
    const s = await start(() => ({ status: 500, rawBody: 'boom' }));
    const { scorer, failures } = make(s, { maxRetries: 2 });
    expect(await scorer(pairs('A'), signal())).toEqual([null]);
    expect(s.requests).toHaveLength(3);
    expect(failures).toEqual([expect.objectContaining({ kind: 'server_error', retryable: true, status: 500, itemIds: ['A'] })]);
  });

  it('other 4xx are permanent (no retry), and the API key never appears in failures', async () => {
    const s = await start((request) => ({ status: 401, rawBody: JSON.stringify({ error: `invalid key ${request.headers.authorization}` }) }));
    const { scorer, failures } = make(s);
    expect(await scorer(pairs('A'), signal())).toEqual([null]);
    expect(s.requests).toHaveLength(1);
    expect(failures[0]).toMatchObject({ kind: 'client_error', retryable: false, status: 401 });
    expect(failures[0]?.message).toContain('[redacted]');
    expect(JSON.stringify(failures)).not.toContain(API_KEY);
    expect(JSON.stringify(scorer.stats())).not.toContain(API_KEY);
  });

  it('a malformed body fails the pair permanently', async () => {
    const s = await start((request) => (request.index === 0 ? { rawBody: '<html>proxy error</html>' } : { rawBody: '{"choices": []}' }));
    const { scorer, failures } = make(s, { concurrency: 1 });
    expect(await scorer(pairs('A', 'B'), signal())).toEqual([null, null]);
    expect(s.requests).toHaveLength(2);
    expect(failures.map((f) => [f.kind, f.retryable, f.itemIds])).toEqual([
      ['malformed_response', false, ['A']],
      ['malformed_response', false, ['B']],
    ]);
  });

  it('an answer outside the schema fails only that pair, with the parser reason', async () => {
    const s = await start((request) => ({ content: (request.body.messages?.[1]?.content ?? '').includes('"A"') ? 'I think it is great!' : '{"score": 0.9}' }));
    const { scorer, failures } = make(s);
    expect(await scorer(pairs('A', 'B'), signal())).toEqual([null, 0.9]);
    expect(failures).toEqual([expect.objectContaining({ kind: 'rejected_answer', reason: 'unrecognized', itemIds: ['A'] })]);
  });

  it('a slow response times out: null, reported as retryable timeout, not retried, connection closed', async () => {
    const s = await start(() => ({ delayMs: 3000, content: '{"score": 0.5}' }));
    const { scorer, failures } = make(s, { timeoutMs: 500 });
    expect(await scorer(pairs('A'), signal())).toEqual([null]);
    expect(failures).toEqual([expect.objectContaining({ kind: 'timeout', retryable: true, itemIds: ['A'] })]);
    expect(s.requests).toHaveLength(1);
    await waitFor(() => s.requests[0]?.closedEarly === true);
    expect(s.requests[0]?.closedEarly).toBe(true);
  });

  it('abort: in-flight requests are cancelled and the promise rejects with the abort reason', async () => {
    const s = await start(() => ({ delayMs: 3000, content: '{"score": 0.5}' }));
    const { scorer, failures } = make(s);
    const controller = new AbortController();
    const pending = scorer(pairs('A', 'B'), controller.signal);
    await waitFor(() => s.requests.length === 2);
    controller.abort(new Error('batch cancelled'));
    await expect(pending).rejects.toThrow('batch cancelled');
    await waitFor(() => s.requests.every((r) => r.closedEarly));
    expect(s.requests.map((r) => r.closedEarly)).toEqual([true, true]);
    expect(failures).toEqual([]);
  });

  it('an empty batch resolves to an empty array without calls', async () => {
    const s = await start();
    const { scorer } = make(s);
    expect(await scorer([], signal())).toEqual([]);
    expect(s.requests).toHaveLength(0);
  });

  it('an already-aborted signal sends nothing', async () => {
    const s = await start();
    const { scorer } = make(s);
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(scorer(pairs('A'), controller.signal)).rejects.toThrow('too late');
    expect(s.requests).toHaveLength(0);
  });

  it('listwise: a missing item fails only that pair; the others keep their scores', async () => {
    const s = await start(() => ({ content: '{"scores": [{"ref": "i1", "score": 0.2}, {"ref": "i3", "score": 0.4}]}' }));
    const { scorer, failures } = make(s, { style: 'listwise' });
    expect(await scorer(pairs('A', 'B', 'C'), signal())).toEqual([0.2, null, 0.4]);
    expect(s.requests).toHaveLength(1);
    expect(failures).toEqual([expect.objectContaining({ kind: 'rejected_answer', reason: 'missing_items', itemIds: ['B'] })]);
  });

  it('listwise: groups by profileKey into calls of at most listSize items', async () => {
    const s = await start();
    const { scorer } = make(s, { style: 'listwise', listSize: 2 });
    const other = buildCognitionProfile([{ id: 'x', categories: ['comedy'] }]);
    const batch = [...pairs('A', 'B', 'C'), { profileKey: other.key, profile: other, itemId: 'D' }];
    const scores = await scorer(batch, signal());
    expect(scores.every((x) => x !== null && x >= 0 && x <= 1)).toBe(true);
    expect(s.requests.map((r) => (r.body.messages?.[1]?.content.match(/<item ref=/g) ?? []).length).sort()).toEqual([1, 1, 2]);
  });

  it('never has more than `concurrency` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const s = await start(async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 200));
      inFlight--;
      return { content: '{"score": 0.1}' };
    });
    const { scorer } = make(s, { concurrency: 2 });
    expect(await scorer(pairs('A', 'B', 'C', 'D', 'E'), signal())).toEqual([0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(most).toBe(2);
  });

  it('works with the default rule-based judge in every style: edge-of-taste items score above usual ones', async () => {
    const s = await start();
    const describeItem = (id: string) => (id === 'edge' ? 'Kind of Blue — jazz documentary' : 'Another drama');
    for (const style of ['direct', 'indirect', 'cot', 'listwise'] as const) {
      const { scorer, failures } = make(s, { style, describeItem });
      const [edge, usual] = await scorer(pairs('edge', 'usual'), signal());
      expect(failures, style).toEqual([]);
      expect(edge, style).toBeGreaterThan(usual as number);
    }
  });

  it('a describeItem that throws fails only that pair', async () => {
    const s = await start(() => ({ content: '{"score": 0.5}' }));
    const { scorer, failures } = make(s, {
      describeItem: (id) => {
        if (id === 'bad') throw new Error('no such item');
        return id;
      },
    });
    expect(await scorer(pairs('bad', 'ok'), signal())).toEqual([null, 0.5]);
    expect(failures).toEqual([expect.objectContaining({ kind: 'invalid_item', itemIds: ['bad'] })]);
  });

  it('validates options with typed errors', () => {
    expect(() => openAICompatibleScorer({ baseURL: '', model: 'm' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', field: 'options.baseURL' }));
    expect(() => openAICompatibleScorer({ baseURL: 'http://x', model: 'm', style: 'pairwise' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', field: 'options.style' }),
    );
    expect(() => openAICompatibleScorer({ baseURL: 'http://x', model: 'm', timeout: 5 } as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_OPTION' }));
    expect(() => openAICompatibleScorer({ baseURL: 'http://x', model: 'm', timeoutMs: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => openAICompatibleScorer({ baseURL: 'http://x', model: 'm', apiKey: API_KEY, timeoutMs: -1 })).toThrow(
      expect.not.objectContaining({ message: expect.stringContaining(API_KEY) }),
    );
  });
});
