import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../examples/llm-nearline/fake-openai-server.js';
import { createScoreCache, llmBlend, rerank, SCORE_FRESH } from '../../src/index.js';
import { calibrate } from '../../src/llm/calibrate.js';
import { calibratedScorer } from '../../src/llm/calibrated-scorer.js';
import { openAICompatibleScorer } from '../../src/llm/openai-scorer.js';
import { buildCognitionProfile } from '../../src/llm/profile.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const profile = buildCognitionProfile([{ id: 'h1', categories: ['drama'] }]);
const subject = { key: 'user-1', profile, profileKey: profile.key };

describe('openAICompatibleScorer inside createScoreCache', () => {
  it('fills the cache nearline; peek() then reads the judge’s scores synchronously', async () => {
    const answers: Record<string, number> = { a: 0.2, b: 0.9, c: 0.5 };
    server = await startFakeOpenAIServer({
      respond: (request) => {
        const user = request.body.messages?.[1]?.content ?? '';
        const id = Object.keys(answers).find((key) => user.includes(`<item ref="i1">\n"${key}"\n</item>`)) as string;
        return { content: JSON.stringify({ score: answers[id] }) };
      },
    });
    const cache = createScoreCache({ scorer: openAICompatibleScorer({ baseURL: server.baseURL, model: 'm' }), lingerMs: 0 });
    try {
      const result = await cache.prefetch(subject, ['a', 'b', 'c']);
      expect(result).toMatchObject({ scored: 3, failed: 0 });
      const view = cache.peek(subject, ['a', 'b', 'c']);
      expect([...view.scores]).toEqual([0.2, 0.9, 0.5]);
      expect([...view.states]).toEqual([SCORE_FRESH, SCORE_FRESH, SCORE_FRESH]);
      // the blend reads them: b's judgement (0.9) lifts it above a despite lower relevance
      const { items } = rerank({
        candidates: [
          { id: 'a', relevance: 1 },
          { id: 'b', relevance: 0.8 },
          { id: 'c', relevance: 0 },
        ],
        user: { id: 'user-1', profile, profileKey: profile.key },
        k: 3,
        strategy: llmBlend({ cache, weight: 0.5 }),
      });
      // (1 − 0.5)·r̂ + 0.5·s: a = 0.5 + 0.1 = 0.6, b = 0.4 + 0.45 = 0.85, c = 0 + 0.25 = 0.25
      expect(items.map((item) => item.id)).toEqual(['b', 'a', 'c']);
      expect(items[0]?.score).toBeCloseTo(0.85, 12);
    } finally {
      await cache.close();
    }
  });

  it('a calibrated scorer stores calibrated scores; failed pairs stay missing', async () => {
    server = await startFakeOpenAIServer({
      respond: (request) => ((request.body.messages?.[1]?.content ?? '').includes('"bad"') ? { status: 400, rawBody: 'bad request' } : { content: '{"score": 0.3}' }),
    });
    const calibrator = calibrate([0.1, 0.3, 0.5, 0.7], [false, true, false, true], { method: 'isotonic' });
    const scorer = calibratedScorer(openAICompatibleScorer({ baseURL: server.baseURL, model: 'm' }), calibrator);
    const cache = createScoreCache({ scorer, lingerMs: 0, retries: 0 });
    try {
      const result = await cache.prefetch(subject, ['good', 'bad']);
      expect(result).toMatchObject({ scored: 1, failed: 1 });
      const view = cache.peek(subject, ['good']);
      expect(view.scores[0]).toBe(calibrator.apply(0.3));
    } finally {
      await cache.close();
    }
  });
});
