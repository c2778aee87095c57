/**
 * A local OpenAI-compatible Chat Completions server for the example and the tests. It answers
 * `POST /v1/chat/completions` with a deterministic judge (see {@link judgeByRule}) or with whatever a
 * test's `respond` hook returns (errors, delays, malformed bodies). Node only (`node:http`); it is
 * test/example support and not part of the library.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat message as received. */
export interface ReceivedMessage {
  readonly role: string;
  readonly content: string;
}

/** One received request. */
export interface ReceivedRequest {
  /** Request headers (lower-case names). */
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body. */
  readonly body: { readonly model?: string; readonly messages?: readonly ReceivedMessage[]; readonly [key: string]: unknown };
  /** 0-based arrival number. */
  readonly index: number;
  /** True when the client hung up before the response was sent (abort or timeout). */
  closedEarly: boolean;
}

/** What to send back. Omitted fields get the defaults of a successful completion. */
export interface FakeReply {
  /** HTTP status. Default 200. */
  readonly status?: number;
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Raw body; when set, `content` is ignored. */
  readonly rawBody?: string;
  /** The assistant message text. Default: {@link judgeByRule}. */
  readonly content?: string;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

/** A running fake server. */
export interface FakeOpenAIServer {
  /** e.g. `http://127.0.0.1:54321/v1`. */
  readonly baseURL: string;
  /** Every request received, in arrival order. */
  readonly requests: ReceivedRequest[];
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/** Options of {@link startFakeOpenAIServer}. */
export interface FakeServerOptions {
  /** Decides the reply per request; default: always the rule-based judge. */
  readonly respond?: (request: ReceivedRequest) => FakeReply | Promise<FakeReply>;
}

const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;

function decodeAll(line: string | undefined): string[] {
  if (line === undefined) return [];
  return (line.match(STRING_LITERAL) ?? []).map((literal) => JSON.parse(literal) as string);
}

function lineStarting(block: string, label: string): string | undefined {
  return block.split('\n').find((line) => line.startsWith(label));
}

function jitter(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  return (hash % 1000) / 10000;
}

/**
 * The deterministic judge: for each item, `0.85` when its text mentions one of the profile's
 * edge-of-taste categories (relevant and off the beaten track), else `0.3` when it mentions one of
 * the top-3 long-term categories (relevant but expected), else `0.1`; plus a hash-based jitter in
 * [0, 0.1) so scores are distinct. Returns the answer in the format the system prompt asks for
 * (including the profile-summary prompt, answered from the profile's category lines).
 */
export function judgeByRule(messages: readonly ReceivedMessage[]): string {
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  const profile = /<profile>\n([\s\S]*?)\n<\/profile>/.exec(user)?.[1] ?? '';
  const edges = decodeAll(lineStarting(profile, 'edges of taste')).map((c) => c.toLowerCase());
  const longTerm = decodeAll(lineStarting(profile, 'long-term interests'))
    .slice(0, 3)
    .map((c) => c.toLowerCase());
  const items = [...user.matchAll(/<item ref="([^"]+)">\n(.*)\n<\/item>/g)].map((m) => ({
    ref: m[1] as string,
    text: (JSON.parse(m[2] as string) as string).toLowerCase(),
  }));
  const judge = (text: string) => {
    const edge = edges.some((c) => text.includes(c));
    const usual = longTerm.some((c) => text.includes(c));
    return { edge, usual, score: (edge ? 0.85 : usual ? 0.3 : 0.1) + jitter(text) };
  };
  if (system.includes('"longTerm"')) {
    const shortTerm = decodeAll(lineStarting(profile, 'short-term interests')).slice(0, 2);
    return JSON.stringify({
      longTerm: `Mostly watches ${longTerm.join(', ') || 'a bit of everything'}.`,
      shortTerm: `Lately into ${shortTerm.join(' and ') || 'nothing in particular'}.`,
      edges: edges.length > 0 ? `Has dipped into ${edges.join(', ')}; more of that could surprise them.` : 'No clear edges yet.',
    });
  }
  if (system.includes('"scores"')) {
    return JSON.stringify({ scores: items.map((item) => ({ ref: item.ref, score: Number(judge(item.text).score.toFixed(4)) })) });
  }
  const verdict = judge(items[0]?.text ?? '');
  if (system.includes('"unexpectedness"')) {
    const relevance = verdict.edge || verdict.usual ? 0.9 : 0.3;
    const surprise = verdict.edge ? 0.9 : verdict.usual ? 0.2 : 0.7;
    return JSON.stringify({ relevance, unexpectedness: surprise, novelty: surprise });
  }
  const answer = JSON.stringify({ score: Number(verdict.score.toFixed(4)) });
  if (system.includes('ANSWER:')) return `The item ${verdict.edge ? 'sits at an edge of' : 'is far from or inside'} the user's taste.\nANSWER: ${answer}`;
  return answer;
}

function send(response: ServerResponse, status: number, headers: Readonly<Record<string, string>>, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
}

/** Starts the server on 127.0.0.1 and an ephemeral port. */
export async function startFakeOpenAIServer(options: FakeServerOptions = {}): Promise<FakeOpenAIServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      void (async () => {
        if (incoming.method !== 'POST' || incoming.url !== '/v1/chat/completions') {
          send(response, 404, {}, JSON.stringify({ error: { message: `no route ${incoming.method} ${incoming.url}` } }));
          return;
        }
        let body: ReceivedRequest['body'];
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedRequest['body'];
        } catch {
          send(response, 400, {}, JSON.stringify({ error: { message: 'body is not JSON' } }));
          return;
        }
        const request: ReceivedRequest = { headers: incoming.headers, body, index: requests.length, closedEarly: false };
        requests.push(request);
        response.on('close', () => {
          if (!response.writableFinished) request.closedEarly = true;
        });
        const reply = options.respond ? await options.respond(request) : {};
        if (reply.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        if (response.destroyed) return;
        if (reply.rawBody !== undefined) {
          send(response, reply.status ?? 200, reply.headers ?? {}, reply.rawBody);
          return;
        }
        const messages = body.messages ?? [];
        const content = reply.content ?? judgeByRule(messages);
        const promptChars = messages.reduce((sum, m) => sum + m.content.length, 0);
        const completion = {
          id: `chatcmpl-fake-${request.index}`,
          object: 'chat.completion',
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: {
            prompt_tokens: Math.ceil(promptChars / 4),
            completion_tokens: Math.ceil(content.length / 4),
            total_tokens: Math.ceil(promptChars / 4) + Math.ceil(content.length / 4),
          },
        };
        send(response, reply.status ?? 200, reply.headers ?? {}, JSON.stringify(completion));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
