import { Growable, IdIndex } from './growable.js';
import { inputError } from './input-error.js';
import { type ColumnSpec, readTable } from './table.js';

/** Column names of mode (b)'s files: candidates `userId,itemId,score` and positives `userId,itemId`. */
export interface CandidateColumns {
  /** User id (both files). @defaultValue `userId` */
  readonly user: string;
  /** Item id (both files). @defaultValue `itemId` */
  readonly item: string;
  /** Candidate score, higher is better. @defaultValue `score` */
  readonly score: string;
}

/** Default {@link CandidateColumns}. */
export const DEFAULT_CANDIDATE_COLUMNS: CandidateColumns = { user: 'userId', item: 'itemId', score: 'score' };

const FLAGS: Readonly<Record<keyof CandidateColumns, string>> = { user: '--user-col', item: '--item-col', score: '--score-col' };

/** One user's scored candidates and held-out positives. */
export interface CandidateUser {
  /** User id. */
  readonly id: string;
  /** Candidate item indices, best score first (ties in file order). */
  readonly items: Int32Array;
  /** Scores aligned with `items`. */
  readonly scores: Float64Array;
  /** Held-out positives (item indices; may include items that are not candidates). */
  readonly positives: Int32Array;
}

/**
 * Streams mode (b)'s optional history file (`userId,itemId`, oldest first) into per-user item lists
 * aligned with `data.users`; users without candidates are ignored.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` for an empty file, a missing or unknown column or a
 *   duplicate (user, item) row.
 */
export async function readHistory(path: string, data: CandidateData, columns: Partial<CandidateColumns> = {}): Promise<Int32Array[]> {
  const names = { ...DEFAULT_CANDIDATE_COLUMNS, ...columns };
  const spec = (key: 'user' | 'item'): ColumnSpec => ({ column: names[key], kind: 'string', required: true, explicit: Object.hasOwn(columns, key), flag: FLAGS[key] });
  const userIndex = new Map(data.users.map((user, u) => [user.id, u]));
  const lists: number[][] = data.users.map(() => []);
  const firstLine = new Map<string, number>();
  await readTable(path, [spec('user'), spec('item')], (values, line) => {
    const key = `${values[0] as string}\u0000${values[1] as string}`;
    const first = firstLine.get(key);
    if (first !== undefined) throw inputError(path, line, undefined, `duplicate row: user "${values[0] as string}" and item "${values[1] as string}" already appear on line ${first}.`);
    firstLine.set(key, line);
    const u = userIndex.get(values[0] as string);
    if (u !== undefined) (lists[u] as number[]).push(data.items.intern(values[1] as string));
  });
  return lists.map((list) => Int32Array.from(list));
}

/** What {@link readCandidates} returns. */
export interface CandidateData {
  /** Users in order of first appearance in the candidates file. */
  readonly users: readonly CandidateUser[];
  /** Item ids by index (shared with an items file read into the same index). */
  readonly items: IdIndex;
  /** Candidate rows read. */
  readonly rows: number;
}

/**
 * Streams mode (b)'s candidates and positives files. Storage grows with the rows.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` (one-line `file:line:column:` message) for an empty
 *   file, a missing or unknown column, a non-numeric score, a duplicate (user, item) row in either
 *   file, or a candidate user without any positive.
 */
export async function readCandidates(candidatesPath: string, positivesPath: string, items: IdIndex, columns: Partial<CandidateColumns> = {}): Promise<CandidateData> {
  const names = { ...DEFAULT_CANDIDATE_COLUMNS, ...columns };
  const spec = (key: keyof CandidateColumns, kind: ColumnSpec['kind']): ColumnSpec => ({ column: names[key], kind, required: true, explicit: Object.hasOwn(columns, key), flag: FLAGS[key] });
  const users = new IdIndex();
  const userOf = new Growable((n) => new Int32Array(n));
  const itemOf = new Growable((n) => new Int32Array(n));
  const scoreOf = new Growable((n) => new Float64Array(n));
  const lineOf = new Growable((n) => new Int32Array(n));
  const summary = await readTable(candidatesPath, [spec('user', 'string'), spec('item', 'string'), spec('score', 'number')], (values, line) => {
    userOf.push(users.intern(values[0] as string));
    itemOf.push(items.intern(values[1] as string));
    scoreOf.push(values[2] as number);
    lineOf.push(line);
  });
  const positives: number[][] = Array.from({ length: users.size }, () => []);
  const seenPositive = new Map<string, number>();
  await readTable(positivesPath, [spec('user', 'string'), spec('item', 'string')], (values, line) => {
    const key = `${values[0] as string}\u0000${values[1] as string}`;
    const first = seenPositive.get(key);
    if (first !== undefined) throw inputError(positivesPath, line, undefined, `duplicate row: user "${values[0] as string}" and item "${values[1] as string}" already appear on line ${first}.`);
    seenPositive.set(key, line);
    const u = users.get(values[0] as string);
    if (u >= 0) (positives[u] as number[]).push(items.intern(values[1] as string));
  });
  const n = summary.rows;
  const user = userOf.view();
  const item = itemOf.view();
  const score = scoreOf.view();
  const lineNumber = lineOf.view();
  const byUser: number[][] = Array.from({ length: users.size }, () => []);
  for (let r = 0; r < n; r++) (byUser[user[r] as number] as number[]).push(r);
  const lastUser = new Int32Array(items.size).fill(-1);
  const lastRow = new Int32Array(items.size);
  const out: CandidateUser[] = byUser.map((rows, u) => {
    for (const r of rows) {
      const it = item[r] as number;
      if (lastUser[it] === u) {
        throw inputError(candidatesPath, lineNumber[r] as number, undefined, `duplicate row: user "${users.ids[u] as string}" and item "${items.ids[it] as string}" already appear on line ${lineNumber[lastRow[it] as number] as number}.`);
      }
      lastUser[it] = u;
      lastRow[it] = r;
    }
    if ((positives[u] as number[]).length === 0) {
      throw inputError(candidatesPath, lineNumber[rows[0] as number] as number, 1, `user "${users.ids[u] as string}" has candidates but no row in ${positivesPath}; every candidate user needs at least one held-out positive.`);
    }
    const order = [...rows].sort((a, b) => (score[b] as number) - (score[a] as number) || a - b);
    return {
      id: users.ids[u] as string,
      items: Int32Array.from(order, (r) => item[r] as number),
      scores: Float64Array.from(order, (r) => score[r] as number),
      positives: Int32Array.from(positives[u] as number[]),
    };
  });
  return { users: out, items, rows: n };
}
