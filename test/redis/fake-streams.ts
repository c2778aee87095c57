/**
 * An in-memory fake of the Redis stream commands the stream worker sends (XGROUP CREATE, XADD,
 * XREADGROUP, XAUTOCLAIM, XPENDING, XACK, XCLAIM JUSTID, XINFO GROUPS and the dead-letter script), with
 * a manual clock for idle times. One {@link FakeStreams} is the server; {@link FakeStreams.connect}
 * gives each worker a client that can be "crashed": after that its commands never answer.
 */
import { DEAD_LETTER_SCRIPT } from '../../src/redis/stream-worker.js';

interface Pending {
  consumer: string;
  deliveredAt: number;
  count: number;
}

/** A dead-lettered entry: its original id and fields. */
export interface DeadEntry {
  readonly id: string;
  readonly fields: readonly string[];
  /** Its delivery count when it was dead-lettered. */
  readonly deliveries: number;
}

export class FakeStreams {
  now = 0;
  readonly entries: { id: string; fields: string[] }[] = [];
  readonly pel = new Map<string, Pending>();
  readonly acked = new Set<string>();
  readonly dead: DeadEntry[] = [];
  private lastDelivered = -1;
  private group: string | undefined;

  add(fields: string[]): string {
    const id = `${this.entries.length + 1}-0`;
    this.entries.push({ id, fields });
    return id;
  }

  /** A client for one worker; `crash()` makes every later command hang forever. */
  connect(): { sendCommand(args: string[]): Promise<unknown>; crash(): void } {
    let alive = true;
    return {
      sendCommand: (args) => (alive ? Promise.resolve().then(() => this.run(args)) : new Promise<never>(() => {})),
      crash: () => {
        alive = false;
      },
    };
  }

  private fieldsOf(id: string): string[] | undefined {
    return this.entries.find((entry) => entry.id === id)?.fields;
  }

  private run(args: string[]): unknown {
    const [command, ...rest] = args;
    switch (command) {
      case 'XGROUP': {
        if (this.group !== undefined) throw new Error('BUSYGROUP Consumer Group name already exists');
        this.group = rest[2];
        return 'OK';
      }
      case 'XREADGROUP': {
        const consumer = rest[2] as string;
        const count = Number(rest[4]);
        const out: [string, string[]][] = [];
        while (out.length < count && this.lastDelivered + 1 < this.entries.length) {
          const entry = this.entries[++this.lastDelivered] as { id: string; fields: string[] };
          this.pel.set(entry.id, { consumer, deliveredAt: this.now, count: 1 });
          out.push([entry.id, entry.fields]);
        }
        return out.length === 0 ? null : [[rest[6], out]];
      }
      case 'XAUTOCLAIM': {
        const [, , consumer, minIdle, cursor, , countText] = rest as [string, string, string, string, string, string, string];
        const ids = [...this.pel.keys()].sort((a, b) => Number(a.split('-')[0]) - Number(b.split('-')[0]));
        const start = ids.findIndex((id) => Number(id.split('-')[0]) >= Number(cursor.split('-')[0]));
        const claimed: [string, string[]][] = [];
        let next = '0-0';
        for (let i = Math.max(0, start); start >= 0 && i < ids.length; i++) {
          const id = ids[i] as string;
          if (claimed.length === Number(countText)) {
            next = id;
            break;
          }
          const pending = this.pel.get(id) as Pending;
          if (this.now - pending.deliveredAt < Number(minIdle)) continue;
          pending.consumer = consumer;
          pending.deliveredAt = this.now;
          pending.count++;
          claimed.push([id, this.fieldsOf(id) as string[]]);
        }
        return [next, claimed, []];
      }
      case 'XPENDING': {
        const [, , startId, endId, countText, consumer] = rest as [string, string, string, string, string, string];
        const lo = Number(startId.split('-')[0]);
        const hi = Number(endId.split('-')[0]);
        const rows: unknown[] = [];
        for (const [id, pending] of this.pel) {
          const n = Number(id.split('-')[0]);
          if (n >= lo && n <= hi && pending.consumer === consumer && rows.length < Number(countText)) {
            rows.push([id, pending.consumer, this.now - pending.deliveredAt, pending.count]);
          }
        }
        return rows;
      }
      case 'XACK': {
        let removed = 0;
        for (const id of rest.slice(2)) {
          if (this.pel.delete(id)) {
            removed++;
            this.acked.add(id);
          }
        }
        return removed;
      }
      case 'XCLAIM': {
        const consumer = rest[2] as string;
        const ids = rest.slice(4, -1);
        for (const id of ids) {
          const pending = this.pel.get(id);
          if (pending !== undefined) {
            pending.consumer = consumer;
            pending.deliveredAt = this.now;
          }
        }
        return ids.filter((id) => this.pel.has(id));
      }
      case 'XINFO':
        return [['name', this.group, 'pending', this.pel.size, 'lag', this.entries.length - 1 - this.lastDelivered]];
      case 'EVAL': {
        if (rest[0] !== DEAD_LETTER_SCRIPT) throw new Error('unknown script');
        let moved = 0;
        for (let i = 6; i < rest.length; i += 5) {
          const id = rest[i] as string;
          const pending = this.pel.get(id);
          if (pending !== undefined && this.pel.delete(id)) {
            moved++;
            this.dead.push({ id, fields: this.fieldsOf(id) ?? [], deliveries: pending.count });
          }
        }
        return moved;
      }
      default:
        throw new Error(`fake streams: unsupported ${command}`);
    }
  }
}
