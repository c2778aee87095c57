import { LRUCache } from 'lru-cache';

/** One L1 judgement: the score and when the scorer produced it (cache clock ms). */
export interface L1Entry {
  readonly score: number;
  readonly at: number;
}

/** The judgements of one profile, by item id, oldest write first. */
export type ProfileBucket = Map<string, L1Entry>;

/**
 * The in-process tier: an `lru-cache` of per-profile buckets, bounded by the total number of
 * entries. Recency is tracked per profile (one LRU touch per `peek`, not one per item), and a hit
 * costs one `Map` look-up of the item id with no key concatenation. When the bound is exceeded the
 * least recently used profile goes first; a lone profile over the bound loses its oldest writes.
 */
export class ProfileLru {
  private readonly buckets: LRUCache<string, ProfileBucket>;
  private entries = 0;

  constructor(private readonly maxEntries: number) {
    this.buckets = new LRUCache<string, ProfileBucket>({
      max: maxEntries,
      dispose: (bucket) => {
        this.entries -= bucket.size;
      },
    });
  }

  /** Total entries over all profiles (≤ `maxEntries`). */
  get size(): number {
    return this.entries;
  }

  /** The profile's bucket, marking it most recently used. */
  bucket(profileKey: string): ProfileBucket | undefined {
    return this.buckets.get(profileKey);
  }

  /** The entry without touching recency. */
  peek(profileKey: string, itemId: string): L1Entry | undefined {
    return this.buckets.peek(profileKey)?.get(itemId);
  }

  /** Writes an entry (as the newest of its bucket), evicting to stay within `maxEntries`. */
  set(profileKey: string, itemId: string, entry: L1Entry): void {
    let bucket = this.buckets.get(profileKey);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(profileKey, bucket);
    }
    if (bucket.delete(itemId)) this.entries--;
    bucket.set(itemId, entry);
    this.entries++;
    while (this.entries > this.maxEntries) {
      if (this.buckets.size > 1) {
        this.buckets.pop(); // the least recently used profile; `dispose` updates the count
      } else {
        const oldest = bucket.keys().next().value as string;
        bucket.delete(oldest);
        this.entries--;
      }
    }
  }

  /** Deletes one entry of a bucket obtained from {@link ProfileLru.bucket}. */
  deleteFrom(profileKey: string, bucket: ProfileBucket, itemId: string): void {
    if (!bucket.delete(itemId)) return;
    this.entries--;
    if (bucket.size === 0) this.buckets.delete(profileKey);
  }

  /** Forgets a whole profile. */
  deleteProfile(profileKey: string): void {
    this.buckets.delete(profileKey);
  }
}
