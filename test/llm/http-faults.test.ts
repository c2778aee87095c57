// HTTP fault suite for `openAICompatibleScorer` (issue 12, items 3, 4, 6 and 11): hostile local
// servers on 127.0.0.1 only. Every call must settle within `timeoutMs` plus a small grace, with
// bounded memory growth, and no secret may reach another origin or a failure message.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreRequestItem } from '../../src/cache/scorer.js';
import type { LlmFailure } from '../../src/llm/chat-completions.js';
import { DEFAULT_MAX_RETRY_AFTER_MS, DEFAULT_MAX_RESPONSE_BYTES, openAICompatibleScorer, type OpenAICompatibleScorerOptions } from '../../src/llm/openai-scorer.js';

const API_KEY = 'sk-live-7f3Kq9ZxW2mBv8RtY4uP';
/** Slack above `timeoutMs` within which every call must have settled. */
const GRACE_MS = 1000;
const TIMEOUT_MS = 500;

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

interface LocalServer {
  readonly origin: string;
  readonly requests: { url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

const open: Server[] = [];
afterEach(async () => {
  await Promise.all(
    open.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function serve(handler: Handler): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ url: request.url ?? '', headers: request.headers, body });
      handler(request, response, body);
    });
  });
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const okBody = (content: string) => JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] });

const pair: ScoreRequestItem = { profileKey: 'p1', profile: 'likes quiet jazz', itemId: 'item-1' };

function scorerFor(baseURL: string, extra: Partial<OpenAICompatibleScorerOptions> = {}) {
  const failures: LlmFailure[] = [];
  const scorer = openAICompatibleScorer({
    baseURL,
    model: 'judge',
    apiKey: API_KEY,
    timeoutMs: TIMEOUT_MS,
    maxRetries: 0,
    onFailure: (failure) => failures.push(failure),
    ...extra,
  });
  return { scorer, failures };
}

/** Runs one scorer call and returns its result and how long it took to settle. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

/** ~100 KB of gzip that expands to 100 MB of zeros, built in 1 MB steps (never 100 MB in memory). */
let gzipBomb: Buffer;
beforeAll(async () => {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve) => gzip.on('end', resolve));
  const megabyte = Buffer.alloc(1 << 20);
  for (let i = 0; i < 100; i++) {
    if (!gzip.write(megabyte)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  gzipBomb = Buffer.concat(out);
});

describe('HTTP fault suite (127.0.0.1 only)', () => {
  it('fault 3: refuses a cross-origin redirect: the other origin receives nothing, not the prompt nor the api-key header', async () => {
    const elsewhere = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(okBody('{"score": 0.9}'));
    });
    const origin = await serve((_, response) => {
      response.writeHead(307, { location: `${elsewhere.origin}/v1/chat/completions` }).end();
    });
    const { scorer, failures } = scorerFor(`${origin.origin}/v1`, { headers: { 'api-key': API_KEY } });
    expect(await scorer([pair], new AbortController().signal)).toEqual([null]);
    expect(origin.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ kind: 'redirect_refused', retryable: false, status: 307 });
    expect(failures[0]?.message).toContain('another origin');
    expect(failures[0]?.message).toContain(elsewhere.origin);
  });

  it('fault 3: a 308 to the same origin is followed, with the same body and headers', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/v1/chat/completions') response.writeHead(308, { location: '/v2/chat/completions' }).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end(okBody('{"score": 0.4}'));
    });
    const { scorer, failures } = scorerFor(`${server.origin}/v1`);
    expect(await scorer([pair], new AbortController().signal)).toEqual([0.4]);
    expect(failures).toEqual([]);
    expect(server.requests.map((r) => r.url)).toEqual(['/v1/chat/completions', '/v2/chat/completions']);
    expect(server.requests[1]?.body).toBe(server.requests[0]?.body);
    expect(server.requests[1]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('fault 3: a same-origin redirect loop ends after a bounded number of hops', async () => {
    const server = await serve((request, response) => {
      response.writeHead(307, { location: request.url === '/a' ? '/b' : '/a' }).end();
    });
    const { scorer, failures } = scorerFor(`${server.origin}/v1`);
    expect(await scorer([pair], new AbortController().signal)).toEqual([null]);
    expect(failures[0]?.kind).toBe('redirect_refused');
    expect(server.requests.length).toBeLessThanOrEqual(6);
  });

  it('fault 4: a gzip bomb (~100 KB expanding to 100 MB) settles within timeoutMs + grace, with bounded RSS growth', async () => {
    expect(gzipBomb.length).toBeLessThan(200_000);
    const server = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(gzipBomb.length) });
      response.end(gzipBomb);
    });
    const { scorer, failures } = scorerFor(`${server.origin}/v1`);
    const rssBefore = process.memoryUsage().rss;
    const { value, ms } = await timed(() => scorer([pair], new AbortController().signal));
    const growth = process.memoryUsage().rss - rssBefore;
    expect(value).toEqual([null]);
    expect(ms).toBeLessThan(TIMEOUT_MS + GRACE_MS);
    expect(['response_too_large', 'timeout']).toContain(failures[0]?.kind);
    expect(growth).toBeLessThan(64 * 2 ** 20);
  }, 20_000);

  it('fault 4: an endless chunked body (fast) is cut at the byte cap and the connection is closed', async () => {
    let written = 0;
    let closed = false;
    const server = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        // Bounded loop: stops when the client goes away or after 200 MB.
        while (!response.destroyed && written < 200 * 2 ** 20) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
      };
      response.on('close', () => {
        closed = true;
      });
      pump();
    });
    const { scorer, failures } = scorerFor(`${server.origin}/v1`, { maxResponseBytes: 256 * 1024 });
    const { value, ms } = await timed(() => scorer([pair], new AbortController().signal));
    expect(value).toEqual([null]);
    expect(ms).toBeLessThan(TIMEOUT_MS + GRACE_MS);
    expect(failures[0]?.kind).toBe('response_too_large');
    expect(failures[0]?.message).toContain(String(256 * 1024));
    for (let i = 0; i < 100 && !closed; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(true);
    expect(written).toBeLessThan(64 * 2 ** 20);
  }, 20_000);

  it('fault 4: an endless chunked body (slow drip) settles as a timeout within timeoutMs + grace', async () => {
    const timers = new Set<NodeJS.Timeout>();
    const server = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      let ticks = 0;
      const timer = setInterval(() => {
        // Bounded: at most 10 s of drip.
        if (response.destroyed || ++ticks > 500) {
          clearInterval(timer);
          timers.delete(timer);
          response.destroy();
          return;
        }
        response.write(' ');
      }, 20);
      timers.add(timer);
    });
    const { scorer, failures } = scorerFor(`${server.origin}/v1`);
    const { value, ms } = await timed(() => scorer([pair], new AbortController().signal));
    for (const timer of timers) clearInterval(timer);
    expect(value).toEqual([null]);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(TIMEOUT_MS + GRACE_MS);
    expect(failures[0]).toMatchObject({ kind: 'timeout', retryable: true });
  }, 20_000);

  it('fault 4: a 10 MB body is refused at the default 1 MB cap; a larger maxResponseBytes reads it', async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(1 << 20);
    const padded = okBody('{"score": 0.3}').replace(/}$/, `${' '.repeat(10 * 2 ** 20)}}`);
    const server = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(padded);
    });
    const capped = scorerFor(`${server.origin}/v1`);
    const { value, ms } = await timed(() => capped.scorer([pair], new AbortController().signal));
    expect(value).toEqual([null]);
    expect(ms).toBeLessThan(TIMEOUT_MS + GRACE_MS);
    expect(capped.failures[0]).toMatchObject({ kind: 'response_too_large', retryable: false });
    const roomy = scorerFor(`${server.origin}/v1`, { maxResponseBytes: 16 * 2 ** 20, timeoutMs: 10_000 });
    expect(await roomy.scorer([pair], new AbortController().signal)).toEqual([0.3]);
    expect(roomy.failures).toEqual([]);
  }, 20_000);

  it('fault 4: a server that never answers settles as a timeout even when fetch ignores the abort', async () => {
    // A fetch that never settles and ignores its signal: only the scorer's own timer can end the call.
    const deaf = (() => new Promise<Response>(() => undefined)) as typeof fetch;
    const { scorer, failures } = scorerFor('http://127.0.0.1:9/v1', { fetch: deaf });
    const { value, ms } = await timed(() => scorer([pair], new AbortController().signal));
    expect(value).toEqual([null]);
    expect(ms).toBeLessThan(TIMEOUT_MS + GRACE_MS);
    expect(failures[0]?.kind).toBe('timeout');
  });

  it('fault 4: a minimal injected fetch without body streams still gets the byte cap', async () => {
    const minimal = (text: string) =>
      (async () => ({ status: 200, statusText: 'OK', type: 'basic', headers: new Headers(), text: async () => text }) as unknown as Response) as typeof fetch;
    const small = scorerFor('http://127.0.0.1:9/v1', { fetch: minimal(okBody('{"score": 0.2}')) });
    expect(await small.scorer([pair], new AbortController().signal)).toEqual([0.2]);
    const big = scorerFor('http://127.0.0.1:9/v1', { fetch: minimal(okBody('{"score": 0.2}').padEnd(2000, ' ')), maxResponseBytes: 1000 });
    expect(await big.scorer([pair], new AbortController().signal)).toEqual([null]);
    expect(big.failures[0]?.kind).toBe('response_too_large');
  });

  it('fault 6: a 429 with a huge Retry-After is capped at maxRetryAfterMs (default 10 minutes) and shown in stats', async () => {
    expect(DEFAULT_MAX_RETRY_AFTER_MS).toBeLessThanOrEqual(10 * 60_000);
    const server = await serve((_, response) => {
      response.writeHead(429, { 'retry-after': '99999999' }).end('slow down');
    });
    let clock = Date.UTC(2026, 0, 1);
    const { scorer, failures } = scorerFor(`${server.origin}/v1`, { now: () => clock });
    expect(await scorer([pair], new AbortController().signal)).toEqual([null]);
    expect(failures[0]).toMatchObject({ kind: 'rate_limited', retryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS });
    const stats = scorer.stats();
    expect(stats.rateLimitedUntil).toBe(Date.UTC(2026, 0, 1) + DEFAULT_MAX_RETRY_AFTER_MS);
    expect(stats.backoffMs).toBe(DEFAULT_MAX_RETRY_AFTER_MS);
    clock += DEFAULT_MAX_RETRY_AFTER_MS - 1000;
    expect(scorer.stats().backoffMs).toBe(1000);
    clock += 1000;
    expect(scorer.stats().backoffMs).toBe(0);
    clock += 5000;
    expect(scorer.stats().backoffMs).toBe(0);
    // Once the capped back-off has passed, the scorer calls the endpoint again.
    expect(await scorer([pair], new AbortController().signal)).toEqual([null]);
    expect(server.requests).toHaveLength(2);
  });

  it('fault 6: maxRetryAfterMs sets the cap; a retry then waits the capped time', async () => {
    let calls = 0;
    const server = await serve((_, response) => {
      if (calls++ === 0) response.writeHead(429, { 'retry-after': '99999999' }).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end(okBody('{"score": 0.6}'));
    });
    const sleeps: number[] = [];
    const clock = 1_000_000;
    const { scorer } = scorerFor(`${server.origin}/v1`, {
      maxRetries: 1,
      maxRetryAfterMs: 2000,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(await scorer([pair], new AbortController().signal)).toEqual([0.6]);
    expect(sleeps).toEqual([2000]);
    expect(scorer.stats().lastRetryAfterMs).toBe(2000);
  });

  it('fault 11: an API key echoed at every offset of an error body never appears, not even in part', async () => {
    const offsets = Array.from({ length: 260 }, (_, i) => i);
    let next = 0;
    const server = await serve((_, response) => {
      const offset = offsets[next++ % offsets.length] as number;
      const status = [400, 500, 200][offset % 3] as number;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(`${'x'.repeat(offset)}${API_KEY}${'y'.repeat(300)}`);
    });
    const { scorer, failures } = scorerFor(`${server.origin}/v1`, { concurrency: 4 });
    const batch = offsets.map((i) => ({ ...pair, itemId: `item-${i}` }));
    const scores = await scorer(batch, new AbortController().signal);
    expect(scores.every((s) => s === null)).toBe(true);
    expect(failures).toHaveLength(offsets.length);
    expect(new Set(failures.map((f) => f.kind))).toEqual(new Set(['client_error', 'server_error', 'malformed_response']));
    const prefix = API_KEY.slice(0, 4);
    for (const failure of failures) {
      expect(failure.message).not.toContain(prefix);
      expect(failure.message.length).toBeLessThan(400);
    }
  });

  it('fault 11: credentials in baseURL never appear in failure messages', async () => {
    const { scorer, failures } = scorerFor('http://alice:hunter2-pass@127.0.0.1:9/v1');
    expect(await scorer([pair], new AbortController().signal)).toEqual([null]);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.message).not.toContain('hunter2');
    expect(failures[0]?.message).not.toContain('alice');
  });

  it('fault 11: credentials in a redirect location and in an echoed URL are stripped from messages', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/v1/chat/completions') response.writeHead(307, { location: 'http://bob:tok3n-s3cret@127.0.0.2:1/x' }).end();
    });
    const { scorer, failures } = scorerFor(`${server.origin}/v1`);
    expect(await scorer([pair], new AbortController().signal)).toEqual([null]);
    expect(failures[0]?.message).toContain('127.0.0.2');
    expect(failures[0]?.message).not.toContain('tok3n');
    expect(failures[0]?.message).not.toContain('bob');

    const echo = await serve((_, response) => {
      response.writeHead(502).end('upstream https://carol:pa55word@internal.example/v1 failed');
    });
    const second = scorerFor(`${echo.origin}/v1`);
    expect(await second.scorer([pair], new AbortController().signal)).toEqual([null]);
    expect(second.failures[0]?.message).toContain('internal.example');
    expect(second.failures[0]?.message).not.toContain('pa55word');
    expect(second.failures[0]?.message).not.toContain('carol');
  });

  it('fault 3: same-origin 301/302/303 (which would resend as GET), a missing or invalid location are refused', async () => {
    const server = await serve((request, response) => {
      const path = request.url ?? '';
      if (path.startsWith('/s302')) response.writeHead(302, { location: '/elsewhere' }).end();
      else if (path.startsWith('/none')) response.writeHead(307).end();
      else if (path.startsWith('/bad')) response.writeHead(307, { location: 'http://[::1' }).end();
      else if (path.startsWith('/s304')) response.writeHead(304).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end(okBody('{"score": 0.9}'));
    });
    const outcome = async (prefix: string) => {
      const { scorer, failures } = scorerFor(`${server.origin}/${prefix}`);
      const scores = await scorer([pair], new AbortController().signal);
      return { scores, failure: failures[0] };
    };
    const moved = await outcome('s302');
    expect(moved.scores).toEqual([null]);
    expect(moved.failure).toMatchObject({ kind: 'redirect_refused', status: 302, message: expect.stringContaining('GET') });
    expect((await outcome('none')).failure).toMatchObject({ kind: 'redirect_refused', status: 307 });
    expect((await outcome('bad')).failure).toMatchObject({ kind: 'redirect_refused', message: expect.stringContaining('invalid location') });
    // 304 is not a redirect: an ordinary non-2xx answer.
    expect((await outcome('s304')).failure).toMatchObject({ kind: 'client_error', status: 304 });
    expect(server.requests.some((r) => r.url === '/elsewhere')).toBe(false);
  });

  it('fault 3: an opaque redirect (browser fetch with redirect: manual) is refused', async () => {
    const opaque = (async () => ({ status: 0, statusText: '', type: 'opaqueredirect', headers: new Headers(), body: null }) as unknown as Response) as typeof fetch;
    const { scorer, failures } = scorerFor('http://127.0.0.1:9/v1', { fetch: opaque });
    expect(await scorer([pair], new AbortController().signal)).toEqual([null]);
    expect(failures[0]).toMatchObject({ kind: 'redirect_refused', message: expect.stringContaining('does not expose') });
  });

  it('fault 4: the byte cap is exact: a body of maxResponseBytes bytes is read, one byte more is refused', async () => {
    const cap = 4096;
    const exact = okBody('{"score": 0.7}').replace(/}$/, '').padEnd(cap - 1, ' ') + '}';
    expect(Buffer.byteLength(exact)).toBe(cap);
    const server = await serve((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(request.url === '/v1/chat/completions' ? exact : ` ${exact}`);
    });
    expect(await scorerFor(`${server.origin}/v1`, { maxResponseBytes: cap }).scorer([pair], new AbortController().signal)).toEqual([0.7]);
    const over = scorerFor(`${server.origin}/v2`, { maxResponseBytes: cap });
    expect(await over.scorer([pair], new AbortController().signal)).toEqual([null]);
    expect(over.failures[0]?.kind).toBe('response_too_large');
  });

  it('fault 4: a multi-byte character split across chunks is decoded intact', async () => {
    const text = 'quota für café überschritten';
    const bytes = Buffer.from(text, 'utf8');
    const split = bytes.indexOf(Buffer.from('é')) + 1; // inside the two bytes of 'é'
    const server = await serve((_, response) => {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.write(bytes.subarray(0, split));
      setTimeout(() => response.end(bytes.subarray(split)), 30);
    });
    const { scorer, failures } = scorerFor(`${server.origin}/v1`);
    await scorer([pair], new AbortController().signal);
    expect(failures[0]?.message).toContain(text);
  });

  it('a refused connection is a retryable network failure whose message carries the cause', async () => {
    const server = await serve(() => undefined);
    const origin = server.origin;
    await new Promise<void>((resolve) => {
      const closing = open.pop() as Server;
      closing.close(() => resolve());
    });
    const { scorer, failures } = scorerFor(`${origin}/v1`);
    expect(await scorer([pair], new AbortController().signal)).toEqual([null]);
    expect(failures[0]).toMatchObject({ kind: 'network', retryable: true, message: expect.stringContaining('ECONNREFUSED') });
  });

  it('fault 11: extra header values of 8+ characters are redacted from messages; shorter ones are not', async () => {
    const server = await serve((request, response) => {
      response.writeHead(401).end(`bad org ${String(request.headers['x-org'])} for team ${String(request.headers['x-team'])}`);
    });
    const { scorer, failures } = scorerFor(`${server.origin}/v1`, { headers: { 'x-org': 'org-1234', 'x-team': 'blue-42' } });
    await scorer([pair], new AbortController().signal);
    expect(failures[0]?.message).toContain('bad org [redacted] for team blue-42');
  });
});

