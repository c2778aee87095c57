/** Priority levels of refresh work, highest first when dispatching, lowest first when dropping. */
export const PRIORITY_STALE = 0;
/** Priority of {@link ScoreCache.prefetch} work. */
export const PRIORITY_PREFETCH = 1;
/** Priority of pairs an online request missed (no usable score at all). */
export const PRIORITY_MISS = 2;
const LEVELS = 3;

/** What the queue needs to know about a piece of work. */
export interface QueuedWork {
  /** One of the `PRIORITY_*` levels. */
  priority: number;
  /** True while the work sits in the queue (cleared when taken or removed). */
  queued: boolean;
}

function isLive(work: QueuedWork, level: number): boolean {
  return work.queued && work.priority === level;
}

/**
 * A FIFO per priority level with lazy removal: O(1) push, amortised O(1) take, remove and drop.
 * Dispatch takes the oldest work of the highest level; a full queue drops the oldest work of the
 * lowest level.
 */
export class WorkQueue<T extends QueuedWork> {
  private readonly levels: T[][] = Array.from({ length: LEVELS }, () => []);
  private readonly heads = new Int32Array(LEVELS);
  private live = 0;

  /** Number of queued items. */
  get size(): number {
    return this.live;
  }

  /** Appends `work` at its priority. */
  push(work: T): void {
    work.queued = true;
    (this.levels[work.priority] as T[]).push(work);
    this.live++;
  }

  /** Removes `work` if it is queued. */
  remove(work: T): void {
    if (!work.queued) return;
    work.queued = false;
    this.live--;
  }

  /** Takes the oldest work of the highest level, or undefined when empty. */
  shift(): T | undefined {
    for (let level = LEVELS - 1; level >= 0; level--) {
      const work = this.takeOldest(level);
      if (work !== undefined) return work;
    }
    return undefined;
  }

  /** The oldest work of the lowest non-empty level, without removing it. */
  peekVictim(): T | undefined {
    for (let level = 0; level < LEVELS; level++) {
      const work = this.oldest(level);
      if (work !== undefined) return work;
    }
    return undefined;
  }

  /** Moves queued `work` up to `priority` (a no-op unless that is higher). */
  raise(work: T, priority: number): void {
    if (!work.queued || priority <= work.priority) return;
    work.priority = priority;
    (this.levels[priority] as T[]).push(work);
  }

  /** Removes and returns everything queued (for close and tests). */
  drain(): T[] {
    const all: T[] = [];
    for (let work = this.shift(); work !== undefined; work = this.shift()) all.push(work);
    return all;
  }

  private oldest(level: number): T | undefined {
    const items = this.levels[level] as T[];
    let head = this.heads[level] as number;
    // Skip removed work, and entries left behind when work was moved up a level.
    while (head < items.length && !isLive(items[head] as T, level)) head++;
    this.heads[level] = head;
    if (head > 1024 && head * 2 > items.length) {
      items.splice(0, head);
      this.heads[level] = 0;
      head = 0;
    }
    if (head === items.length) {
      items.length = 0;
      this.heads[level] = 0;
      return undefined;
    }
    return items[head];
  }

  private takeOldest(level: number): T | undefined {
    const work = this.oldest(level);
    if (work !== undefined) this.remove(work);
    return work;
  }
}
