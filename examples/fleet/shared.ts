/** Shared parts of the fleet example: environment, the workload, and child-process helpers. */

/** Reads a required environment variable. */
export function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`missing environment variable ${name}`);
  return value;
}

/** The demand stream, group and L2 prefix every process of the example uses. */
export const STREAM = 'example:fleet:demand';
export const GROUP = 'judges';
export const PREFIX = 'example:fleet:score:';

/** 30 users with plain-data profiles (they travel in demand entries as JSON). */
export const users = Array.from({ length: 30 }, (_, i) => ({
  id: `user${i}`,
  profile: { likes: [['jazz', 'folk', 'opera', 'techno'][i % 4], ['noir', 'western', 'anime'][i % 3]], curiousAbout: [['baroque', 'k-pop'][i % 2]] },
}));

/** Candidates of a request at time `ms`: 30 evergreen items and 20 new arrivals (10 per second). */
export function candidatesAt(ms: number, salt: number): { id: string; relevance: number }[] {
  const second = Math.floor(ms / 1000);
  const ids = Array.from({ length: 30 }, (_, i) => `track${i}`);
  for (const s of [second, second - 1]) for (let i = 0; i < 10; i++) ids.push(`new${s}-${i}`);
  return ids.map((id, i) => ({ id, relevance: ((i * 13 + salt) % ids.length) / ids.length }));
}

/** Describes an item for the LLM prompt. */
export const describeItem = (id: string): string => `track ${id}`;

/** Prints one machine-readable status line for the launcher. */
export function report(kind: string, data: object): void {
  process.stdout.write(`${kind} ${JSON.stringify(data)}\n`);
}
