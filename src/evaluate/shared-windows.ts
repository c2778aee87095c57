import type { SplitModel } from './context.js';

/**
 * Work shared between the splits of one run. The nested windows of the standard and the shifted
 * split overlap (the shifted split's test window is the standard split's validation window, its
 * validation window the standard fit window), so EASE candidates and item vectors of a window are
 * computed once and reused. Entries are keyed by the window's full content (users, their train
 * interactions and positives, the item space), so only identical inputs share a result.
 */
export class SharedWindows {
  private readonly keys = new WeakMap<SplitModel, string>();
  /** Results by window content key, then by `what`: each (long) content key is stored once. */
  private readonly entries = new Map<string, Map<string, unknown>>();

  /** The content key of `model`'s window. */
  private keyOf(model: SplitModel): string {
    let key = this.keys.get(model);
    if (key === undefined) {
      const parts: string[] = [Array.from(model.space.items).join(',')];
      model.train.train.forEach((timeline, u) => {
        parts.push(`${JSON.stringify(timeline.user)}:${timeline.items.join(',')}:${(model.columns[u] as Int32Array).join(',')}`);
      });
      key = parts.join('|');
      this.keys.set(model, key);
    }
    return key;
  }

  /** `compute()` once per window content and `what` (e.g. `ease:100`, `vectors:cosine:42:64`). */
  get<T>(model: SplitModel, what: string, compute: () => T): T {
    const key = this.keyOf(model);
    let window = this.entries.get(key);
    if (window === undefined) {
      window = new Map();
      this.entries.set(key, window);
    }
    if (window.has(what)) return window.get(what) as T;
    const value = compute();
    window.set(what, value);
    return value;
  }
}
