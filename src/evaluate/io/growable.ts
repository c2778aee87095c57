/** A typed array that doubles when full: columnar storage whose memory grows with the rows read. */
export class Growable<T extends Int32Array | Float64Array> {
  private data: T;
  /** Number of values stored. */
  length = 0;

  constructor(private readonly make: (size: number) => T) {
    this.data = make(1024);
  }

  /** Appends a value. */
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  /** The stored values (a view, not a copy). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/** Interns string ids as dense indices in first-seen order. */
export class IdIndex {
  private readonly index = new Map<string, number>();
  /** Ids by index. */
  readonly ids: string[] = [];

  /** Index of `id`, added when new. */
  intern(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.index.set(id, i);
      this.ids.push(id);
    }
    return i;
  }

  /** Index of `id`, or -1. */
  get(id: string): number {
    return this.index.get(id) ?? -1;
  }

  /** Number of ids. */
  get size(): number {
    return this.ids.length;
  }
}
