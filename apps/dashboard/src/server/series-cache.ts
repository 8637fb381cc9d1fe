import type { DashboardStore, SeriesInfo } from './dashboard-store.js';

/** A series held in memory: steps and values in step order. */
export interface CachedSeries {
  steps: Float64Array;
  values: Float64Array;
  length: number;
}

interface Entry extends CachedSeries {
  maxGid: number;
  lastUsed: number;
}

/**
 * Keeps the most recently viewed series in memory as typed arrays, so zooming a chart of a
 * million points costs a binary search and a downsampling pass, not a table scan. A series that
 * grew since it was cached is topped up with its new points only; one that grew out of step order
 * (a resumed run rewinding) is read again. The least recently used series are evicted beyond
 * `maxPoints` points in all.
 *
 * @example
 * const cache = new SeriesCache(store);
 * const { steps, values, length } = cache.get(seriesInfo);
 */
export class SeriesCache {
  readonly #store: DashboardStore;
  readonly #maxPoints: number;
  readonly #entries = new Map<number, Entry>();
  #clock = 0;

  /** @param maxPoints Most points held in all (16 bytes each). Default 8,000,000. */
  constructor(store: DashboardStore, maxPoints = 8_000_000) {
    this.#store = store;
    this.#maxPoints = maxPoints;
  }

  /** The series' points, up to date with the store. */
  get(series: SeriesInfo): CachedSeries {
    let entry = this.#entries.get(series.id);
    if (entry !== undefined && entry.length !== series.count) {
      const lastStep = entry.length > 0 ? entry.steps[entry.length - 1]! : 0;
      const fresh = this.#store.readPoints(series.id, lastStep, entry.maxGid);
      const inOrder = fresh.steps.length === 0 || fresh.steps[0]! >= lastStep;
      if (inOrder && entry.length + fresh.steps.length === series.count) append(entry, fresh.steps, fresh.values, fresh.maxGid);
      else entry = undefined;
    }
    if (entry === undefined) {
      const all = this.#store.readPoints(series.id, Number.NEGATIVE_INFINITY, 0);
      entry = { steps: all.steps, values: all.values, length: all.steps.length, maxGid: all.maxGid, lastUsed: 0 };
      this.#entries.set(series.id, entry);
      this.#evict(series.id);
    }
    entry.lastUsed = ++this.#clock;
    return entry;
  }

  #evict(keep: number): void {
    let total = 0;
    for (const e of this.#entries.values()) total += e.length;
    const byAge = [...this.#entries].filter(([id]) => id !== keep).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [id, e] of byAge) {
      if (total <= this.#maxPoints) break;
      this.#entries.delete(id);
      total -= e.length;
    }
  }
}

function append(entry: Entry, steps: Float64Array, values: Float64Array, maxGid: number): void {
  const needed = entry.length + steps.length;
  if (needed > entry.steps.length) {
    const capacity = Math.max(needed, entry.steps.length * 2);
    const s = new Float64Array(capacity);
    const v = new Float64Array(capacity);
    s.set(entry.steps.subarray(0, entry.length));
    v.set(entry.values.subarray(0, entry.length));
    entry.steps = s;
    entry.values = v;
  }
  entry.steps.set(steps, entry.length);
  entry.values.set(values, entry.length);
  entry.length = needed;
  entry.maxGid = maxGid;
}
