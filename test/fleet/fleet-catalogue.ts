/** The shared workload of the fleet test: users spread over servers with overlap, items arriving over time. */

/** Users of the whole fleet. */
export const USERS = Array.from({ length: 12 }, (_, i) => `u${i}`);
/** The item whose judgements always fail (its pairs must end in the dead-letter stream). */
export const POISON = 'poison';
/** Users whose candidates include {@link POISON}. */
export const POISONED_USERS = ['u0', 'u5'];
/** New items arrive every this many ms; each stays a candidate for two slots. */
export const SLOT_MS = 1000;

/** The users server `index` (0, 1, 2) serves: 8 of 12, so every user is served by two servers. */
export function usersOf(index: number): string[] {
  return Array.from({ length: 8 }, (_, j) => USERS[(4 * index + j) % USERS.length] as string);
}

/** The profile of a user (plain data: it travels in demand entries as JSON). */
export function profileOf(user: string): { user: string; likes: string[] } {
  const n = Number(user.slice(1));
  return { user, likes: [['jazz', 'folk', 'opera'][n % 3] as string, ['noir', 'western'][n % 2] as string] };
}

/** The explicit profile key of a user. */
export const profileKeyOf = (user: string): string => `pk-${user}`;

/** Candidate ids of `user` at time slot `slot`: 20 evergreen items, 20 recent arrivals, maybe the poison. */
export function candidatesAt(user: string, slot: number): string[] {
  const ids = Array.from({ length: 20 }, (_, i) => `b${i}`);
  for (const s of [slot, slot - 1]) if (s >= 0) for (let i = 0; i < 10; i++) ids.push(`n${s}-${i}`);
  if (POISONED_USERS.includes(user)) ids.push(POISON);
  return ids;
}

/** The text the LLM sees for an item. */
export const describeItem = (id: string): string => `item ${id}`;
