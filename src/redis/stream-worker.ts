import type { NearlineScoreCache } from '../cache/nearline-cache.js';
import type { ScoreRequestItem } from '../cache/scorer.js';
import type { SendCommand } from './client.js';
import { parseAutoClaimReply, parsePendingCounts, parseReadGroupReply, type StreamEntry } from './stream-replies.js';

/** The stream coordinates and limits of one worker. */
export interface StreamWorkerConfig {
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
  readonly deadLetterStream: string;
  readonly claimIdleMs: number;
  readonly maxDeliveries: number;
  readonly readCount: number;
  /** Whether each pair is fresh in L2 (checked before dead-lettering an over-delivered entry). */
  readonly freshInStore: (pairs: readonly ScoreRequestItem[]) => Promise<boolean[]>;
  /** Delays of the in-place retries of a judged pair whose L2 write failed (the judgement waits in L1). */
  readonly saveRetryDelaysMs: readonly number[];
}

/** Counters of a stream worker (see `ScoreWorkerStats`). */
export interface StreamWorkerCounters {
  delivered: number;
  acked: number;
  loaded: number;
  scored: number;
  failed: number;
  reclaimed: number;
  deadLettered: number;
  malformed: number;
}

/**
 * Lua script moving entries to the dead-letter stream: for each entry still pending in the group, one
 * atomic `XACK` + `XADD` (fields `id`, `deliveries`, `reason`, `p`, `i`, `f`), so a crash can neither
 * lose it nor dead-letter it twice. ARGV: stream, group, dead-letter stream, reason, then
 * (id, deliveries, profile key, item id, profile JSON) per entry. Returns how many were moved.
 */
export const DEAD_LETTER_SCRIPT = `local moved = 0
for i = 5, #ARGV, 5 do
  if redis.call('XACK', ARGV[1], ARGV[2], ARGV[i]) == 1 then
    redis.call('XADD', ARGV[3], '*', 'id', ARGV[i], 'deliveries', ARGV[i + 1], 'reason', ARGV[4], 'p', ARGV[i + 2], 'i', ARGV[i + 3], 'f', ARGV[i + 4])
    moved = moved + 1
  end
end
return moved`;

/** A decoded demand entry. */
interface Demand {
  readonly entry: StreamEntry;
  readonly pair: ScoreRequestItem;
}

function decode(entry: StreamEntry): Demand | undefined {
  const fields = entry.fields;
  const profileKey = fields?.get('p');
  const itemId = fields?.get('i');
  if (profileKey === undefined || profileKey === '' || itemId === undefined) return undefined;
  const json = fields?.get('f');
  let profile: unknown;
  if (json !== undefined && json !== '') {
    try {
      profile = JSON.parse(json);
    } catch {
      return undefined;
    }
  }
  return { entry, pair: { profileKey, profile, itemId } };
}

/**
 * One consumer of the demand stream, step by step: read new entries, reclaim idle ones, judge through
 * the score cache's engine, write L2, then acknowledge. The loop around it is `runScoreWorker`.
 *
 * Invariant: an entry is acknowledged only after its pair is fresh in L2 (found there, or judged and
 * written), or after it was moved to the dead-letter stream. Delivery is at least once; L2 writes are
 * idempotent, so a redelivered entry whose pair is already fresh is acknowledged without judging.
 */
export class StreamWorker {
  /** Entry ids this process is working on: a reclaim of one of them is not processed twice. */
  private readonly inFlight = new Set<string>();
  private cursor = '0-0';

  constructor(
    private readonly send: SendCommand,
    private readonly engine: NearlineScoreCache,
    private readonly c: StreamWorkerConfig,
    readonly counters: StreamWorkerCounters,
  ) {}

  /** Entries being processed now. */
  get busy(): number {
    return this.inFlight.size;
  }

  /** Creates the consumer group (and the stream) unless it exists. */
  async ensureGroup(): Promise<void> {
    try {
      await this.send(['XGROUP', 'CREATE', this.c.stream, this.c.group, '0', 'MKSTREAM']);
    } catch (error) {
      if (!String((error as Error)?.message ?? error).includes('BUSYGROUP')) throw error;
    }
  }

  /**
   * Resets the idle time of the entries this process is working on (`XCLAIM ... JUSTID`, which does not
   * count a delivery), so that no consumer reclaims work that is slow but alive.
   */
  async heartbeat(): Promise<void> {
    if (this.inFlight.size === 0) return;
    await this.send(['XCLAIM', this.c.stream, this.c.group, this.c.consumer, '0', ...this.inFlight, 'JUSTID']);
  }

  /** Reads up to `readCount` new entries; returns how many, and the promise of their processing. */
  async readNew(): Promise<{ count: number; done: Promise<void> }> {
    const reply = await this.send(['XREADGROUP', 'GROUP', this.c.group, this.c.consumer, 'COUNT', String(this.c.readCount), 'STREAMS', this.c.stream, '>']);
    const entries = parseReadGroupReply(reply);
    return { count: entries.length, done: this.process(entries) };
  }

  /**
   * Claims entries idle for `claimIdleMs` (a crashed or stuck consumer's), moves those delivered more
   * than `maxDeliveries` times to the dead-letter stream and processes the rest.
   */
  async reclaim(): Promise<{ count: number; done: Promise<void> }> {
    const { stream, group, consumer } = this.c;
    const reply = await this.send(['XAUTOCLAIM', stream, group, consumer, String(this.c.claimIdleMs), this.cursor, 'COUNT', String(this.c.readCount)]);
    const { cursor, entries } = parseAutoClaimReply(reply);
    this.cursor = cursor;
    const fresh = entries.filter((entry) => !this.inFlight.has(entry.id));
    if (fresh.length === 0) return { count: 0, done: Promise.resolve() };
    this.counters.reclaimed += fresh.length;
    const ids = fresh.map((entry) => entry.id).sort(compareIds);
    const counts = parsePendingCounts(await this.send(['XPENDING', stream, group, ids[0] as string, ids[ids.length - 1] as string, String(ids.length + this.inFlight.size + 16), consumer]));
    const over = fresh.filter((entry) => (counts.get(entry.id) ?? 0) > this.c.maxDeliveries);
    const live = fresh.filter((entry) => (counts.get(entry.id) ?? 0) <= this.c.maxDeliveries);
    return { count: fresh.length, done: Promise.all([this.retire(over, counts), this.process(live)]).then(() => undefined) };
  }

  /**
   * Ends over-delivered entries: acknowledged when their pair is fresh in L2 after all (judged by a
   * delivery whose acknowledgement was lost), else moved to the dead-letter stream.
   */
  private async retire(entries: readonly StreamEntry[], counts: ReadonlyMap<string, number>): Promise<void> {
    if (entries.length === 0) return;
    for (const entry of entries) this.inFlight.add(entry.id);
    try {
      const demands = entries.map((entry) => decode(entry));
      const valid = demands.filter((d): d is Demand => d !== undefined);
      const fresh = await this.c.freshInStore(valid.map((d) => d.pair));
      const done = valid.filter((_, i) => fresh[i] === true).map((d) => d.entry);
      const dead = entries.filter((entry) => !done.includes(entry));
      if (done.length > 0) {
        this.counters.loaded += done.length;
        await this.ack(done.map((entry) => entry.id));
      }
      if (dead.length > 0) await this.deadLetter(dead, counts, 'max-deliveries');
    } finally {
      for (const entry of entries) this.inFlight.delete(entry.id);
    }
  }

  private async ack(ids: readonly string[]): Promise<void> {
    const acked = Number(await this.send(['XACK', this.c.stream, this.c.group, ...ids]));
    this.counters.acked += Number.isFinite(acked) ? acked : 0;
  }

  /** Settles the pairs, retrying in place those judged but not saved to L2 (L1 holds the judgement). */
  private async settle(pairs: readonly ScoreRequestItem[]): Promise<string[]> {
    const outcomes: string[] = await this.engine.settle(pairs);
    for (const delay of this.c.saveRetryDelaysMs) {
      const unsaved = outcomes.flatMap((outcome, i) => (outcome === 'unsaved' ? [i] : []));
      if (unsaved.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
      const again = await this.engine.settle(unsaved.map((i) => pairs[i] as ScoreRequestItem));
      unsaved.forEach((index, j) => (outcomes[index] = again[j] as string));
    }
    return outcomes;
  }

  private async process(entries: readonly StreamEntry[]): Promise<void> {
    if (entries.length === 0) return;
    for (const entry of entries) this.inFlight.add(entry.id);
    try {
      this.counters.delivered += entries.length;
      const demands: Demand[] = [];
      const malformed: StreamEntry[] = [];
      for (const entry of entries) {
        const demand = decode(entry);
        if (demand === undefined) malformed.push(entry);
        else demands.push(demand);
      }
      if (malformed.length > 0) {
        this.counters.malformed += malformed.length;
        await this.deadLetter(malformed, new Map(), 'malformed');
      }
      const outcomes = await this.settle(demands.map((demand) => demand.pair));
      const done: string[] = [];
      outcomes.forEach((outcome, i) => {
        if (outcome === 'loaded' || outcome === 'scored') {
          this.counters[outcome]++;
          done.push((demands[i] as Demand).entry.id);
        } else {
          this.counters.failed++; // left pending: reclaimed after claimIdleMs, dead-lettered after maxDeliveries
        }
      });
      if (done.length > 0) await this.ack(done);
    } finally {
      for (const entry of entries) this.inFlight.delete(entry.id);
    }
  }

  private async deadLetter(entries: readonly StreamEntry[], counts: ReadonlyMap<string, number>, reason: string): Promise<void> {
    const args = ['EVAL', DEAD_LETTER_SCRIPT, '0', this.c.stream, this.c.group, this.c.deadLetterStream, reason];
    for (const { id, fields } of entries) {
      args.push(id, String(counts.get(id) ?? 1), fields?.get('p') ?? '', fields?.get('i') ?? '', fields?.get('f') ?? '');
    }
    const moved = Number(await this.send(args));
    this.counters.deadLettered += Number.isFinite(moved) ? moved : 0;
  }
}

/** Orders stream ids (`ms-seq`) numerically. */
export function compareIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  return am.length !== bm.length ? am.length - bm.length : am !== bm ? (am < bm ? -1 : 1) : Number(as) - Number(bs);
}
