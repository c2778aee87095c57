import { replyText } from './client.js';

/** One stream entry: its id and its fields (`undefined` for an entry deleted while pending). */
export interface StreamEntry {
  readonly id: string;
  readonly fields: ReadonlyMap<string, string> | undefined;
}

/** Parses `[id, [field, value, ...]]` (RESP2) or `[id, { field: value }]` (RESP3 maps). */
function parseEntry(raw: unknown): StreamEntry | undefined {
  if (!Array.isArray(raw) || raw.length < 2) return undefined;
  const id = replyText(raw[0]);
  if (id === undefined) return undefined;
  const list: unknown = raw[1];
  if (list == null) return { id, fields: undefined };
  const fields = new Map<string, string>();
  const pairs: [unknown, unknown][] = Array.isArray(list)
    ? Array.from({ length: Math.floor(list.length / 2) }, (_, i) => [list[2 * i], list[2 * i + 1]] as [unknown, unknown])
    : list instanceof Map
      ? [...(list as Map<unknown, unknown>).entries()]
      : typeof list === 'object'
        ? Object.entries(list as Record<string, unknown>)
        : [];
  for (const [key, value] of pairs) {
    const k = replyText(key);
    const v = replyText(value);
    if (k !== undefined && v !== undefined) fields.set(k, v);
  }
  return { id, fields };
}

/** Entries of an `XREADGROUP` reply for one stream (`[[stream, entries]]`, a RESP3 map, or null). */
export function parseReadGroupReply(reply: unknown): StreamEntry[] {
  if (reply == null) return [];
  let streams: unknown[];
  if (Array.isArray(reply)) streams = reply.map((s: unknown) => (Array.isArray(s) ? s[1] : undefined));
  else if (reply instanceof Map) streams = [...(reply as Map<unknown, unknown>).values()];
  else if (typeof reply === 'object') streams = Object.values(reply as Record<string, unknown>);
  else return [];
  const entries: StreamEntry[] = [];
  for (const list of streams) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const entry = parseEntry(raw);
      if (entry !== undefined) entries.push(entry);
    }
  }
  return entries;
}

/** `[nextCursor, entries, deletedIds?]` of an `XAUTOCLAIM` reply. */
export function parseAutoClaimReply(reply: unknown): { cursor: string; entries: StreamEntry[] } {
  if (!Array.isArray(reply) || reply.length < 2) return { cursor: '0-0', entries: [] };
  const cursor = replyText(reply[0]) ?? '0-0';
  const list: unknown = reply[1];
  const entries: StreamEntry[] = [];
  if (Array.isArray(list)) {
    for (const raw of list) {
      const entry = parseEntry(raw);
      if (entry !== undefined) entries.push(entry);
    }
  }
  return { cursor, entries };
}

/** Delivery counts by id from an extended `XPENDING` reply (`[[id, consumer, idleMs, deliveries], ...]`). */
export function parsePendingCounts(reply: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  if (!Array.isArray(reply)) return counts;
  for (const row of reply) {
    if (!Array.isArray(row) || row.length < 4) continue;
    const id = replyText(row[0]);
    const deliveries = Number(typeof row[3] === 'number' ? row[3] : replyText(row[3]));
    if (id !== undefined && Number.isFinite(deliveries)) counts.set(id, deliveries);
  }
  return counts;
}

/** `pending` and `lag` of `group` from an `XINFO GROUPS` reply (flat arrays or maps per group). */
export function parseGroupInfo(reply: unknown, group: string): { pending: number; lag: number | undefined } | undefined {
  if (!Array.isArray(reply)) return undefined;
  for (const raw of reply) {
    const info = new Map<string, unknown>();
    if (Array.isArray(raw)) for (let i = 0; i + 1 < raw.length; i += 2) info.set(replyText(raw[i]) ?? '', raw[i + 1]);
    else if (raw instanceof Map) for (const [k, v] of raw as Map<unknown, unknown>) info.set(replyText(k) ?? '', v);
    else if (raw !== null && typeof raw === 'object') for (const [k, v] of Object.entries(raw as Record<string, unknown>)) info.set(k, v);
    if (replyText(info.get('name')) !== group) continue;
    const pending = Number(info.get('pending') ?? 0);
    const lagValue = info.get('lag');
    const lag = lagValue == null ? undefined : Number(lagValue);
    return { pending: Number.isFinite(pending) ? pending : 0, lag: lag !== undefined && Number.isFinite(lag) ? lag : undefined };
  }
  return undefined;
}
