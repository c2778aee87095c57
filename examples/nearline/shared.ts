/**
 * Shared parts of the nearline example: the L2 store (Redis when REDIS_URL is set, else in-memory),
 * a small catalogue with active users, and a stand-in for the LLM judge.
 */
import { createClient } from 'redis';
import { createMemoryScoreStore, type Candidate, type ScoreStore, type SerendipityScorer } from '../../src/index.js';
import { createRedisScoreStore } from '../../src/redis/index.js';

/** A user the worker keeps warm, with a profile the judge reads. */
export interface ActiveUser {
  readonly id: string;
  readonly profile: { readonly likes: readonly string[]; readonly curiousAbout: readonly string[] };
  readonly candidates: readonly Candidate[];
}

const GENRES = ['jazz', 'opera', 'techno', 'folk', 'ambient', 'blues', 'k-pop', 'baroque'] as const;

/** 40 items, each in one genre, with relevance from a made-up base model. */
function candidatesFor(seed: number): Candidate[] {
  return Array.from({ length: 40 }, (_, i) => ({ id: `track-${i}`, relevance: ((i * 37 + seed * 11) % 40) / 40, categories: [GENRES[i % GENRES.length] as string] }));
}

/** The users a nearline worker would find in its "active in the last hour" list. */
export const activeUsers: readonly ActiveUser[] = [
  { id: 'ana', profile: { likes: ['jazz', 'blues'], curiousAbout: ['baroque'] }, candidates: candidatesFor(1) },
  { id: 'bo', profile: { likes: ['techno'], curiousAbout: ['ambient', 'folk'] }, candidates: candidatesFor(2) },
  { id: 'chen', profile: { likes: ['k-pop', 'folk'], curiousAbout: ['opera'] }, candidates: candidatesFor(3) },
];

/**
 * A stand-in for an LLM judge (swap in `openAICompatibleScorer` from `serendipity-rerank/llm`):
 * an item in a genre the user is curious about is serendipitous (0.9), one they already like is
 * expected (0.2), anything else is in between (0.5). Takes 30 ms per batch and honours abort.
 */
export const judge: SerendipityScorer = (batch, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      resolve(
        batch.map(({ profile, itemId }) => {
          const { likes, curiousAbout } = profile as ActiveUser['profile'];
          const genre = GENRES[Number(itemId.slice('track-'.length)) % GENRES.length] as string;
          return curiousAbout.includes(genre) ? 0.9 : likes.includes(genre) ? 0.2 : 0.5;
        }),
      );
    }, 30);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** The L2 store: Redis at REDIS_URL, or one in-memory store shared by everything in this process. */
export async function openStore(): Promise<{ store: ScoreStore; kind: string; close: () => Promise<void> }> {
  const url = process.env.REDIS_URL;
  if (url === undefined || url === '') {
    return { store: memoryStore, kind: 'in-memory (set REDIS_URL to share scores across processes)', close: async () => {} };
  }
  const client = createClient({ url, disableOfflineQueue: true });
  client.on('error', (error: Error) => console.warn(`redis: ${error.message}`));
  await client.connect();
  return { store: createRedisScoreStore({ client, prefix: 'example:nearline:' }), kind: `redis at ${url}`, close: async () => void client.destroy() };
}

const memoryStore = createMemoryScoreStore();

/** True when `moduleUrl` is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && new URL(moduleUrl).pathname === process.argv[1];
}
