import { ConfigError, DataError, Rng, deriveSeed } from '@omnitrain/core';
import type { Sample } from '../manifest/sample.js';
import { sampleWhere } from '../manifest/sample.js';

/** Options of {@link splitSamples}. */
export interface SplitOptions {
  /** Fraction of each split, normalized to sum to 1. Default `{ train: 0.8, val: 0.1, test: 0.1 }`. */
  ratios?: Readonly<Record<string, number>>;
  /** Seed of the split; the same seed and samples give the same split on every machine. Default 0. */
  seed?: number;
  /** Split each class (label set) separately so every split keeps the class balance. Default true. */
  stratify?: boolean;
}

/** The default split ratios. */
export const DEFAULT_SPLIT_RATIOS: Readonly<Record<string, number>> = { train: 0.8, val: 0.1, test: 0.1 };

/**
 * Splits samples into named sets. When every sample has a `split` column, that decides; when none
 * has, a seeded split by ratio does: within each stratum (class, or label set for multi-label data)
 * the samples are ordered by id, shuffled with `Rng.stream(deriveSeed(seed, stratum), { purpose:
 * 'split' })`, and cut into counts by largest remainder, so each split gets `n * ratio` of every
 * stratum rounded up or down. The result depends on the seed and the sample ids only, not on row
 * order; each split keeps the input's order.
 *
 * @param samples The samples to split.
 * @param options Ratios, seed, stratification (see {@link SplitOptions}).
 * @returns Each split name mapped to its samples (every name of `ratios`, possibly empty).
 * @throws DataError if only some samples have a `split`; ConfigError on a bad ratio.
 * @example
 * const { train, val, test } = splitSamples(ds.samples, { seed: 7 });
 */
export function splitSamples(samples: readonly Sample[], options: SplitOptions = {}): Record<string, Sample[]> {
  const withSplit = samples.filter((s) => s.split !== undefined);
  if (withSplit.length === samples.length && samples.length > 0) return byColumn(samples);
  if (withSplit.length > 0) {
    const missing = samples.find((s) => s.split === undefined)!;
    throw new DataError({
      op: 'data.splitSamples',
      expected: 'a split on every row or on none',
      received: `${withSplit.length} of ${samples.length} rows with a split`,
      where: sampleWhere(missing.source, 'split'),
      hint: 'fill the split column, or drop it to split by ratio',
    });
  }
  return byRatio(samples, checkRatios(options.ratios ?? DEFAULT_SPLIT_RATIOS), options);
}

function byColumn(samples: readonly Sample[]): Record<string, Sample[]> {
  const out: Record<string, Sample[]> = {};
  for (const s of samples) (out[s.split!] ??= []).push(s);
  return out;
}

function checkRatios(ratios: Readonly<Record<string, number>>): Array<[string, number]> {
  const entries = Object.entries(ratios);
  const total = entries.reduce((sum, [, r]) => sum + r, 0);
  if (entries.length === 0 || entries.some(([, r]) => !(r >= 0 && Number.isFinite(r))) || !(total > 0)) {
    throw new ConfigError({
      op: 'data.splitSamples',
      expected: 'ratios >= 0 with a positive sum, e.g. { train: 0.8, val: 0.1, test: 0.1 }',
      received: JSON.stringify(ratios),
    });
  }
  return entries.map(([name, r]) => [name, r / total]);
}

function stratumOf(s: Sample, stratify: boolean): string {
  return stratify ? [...s.labels].sort().join('\u0000') : '';
}

function byRatio(
  samples: readonly Sample[],
  ratios: Array<[string, number]>,
  options: SplitOptions,
): Record<string, Sample[]> {
  const strata = new Map<string, number[]>();
  samples.forEach((s, i) => {
    const key = stratumOf(s, options.stratify ?? true);
    const members = strata.get(key);
    if (members) members.push(i);
    else strata.set(key, [i]);
  });
  const splitOf = new Int32Array(samples.length);
  for (const [key, members] of strata) {
    members.sort((a, b) => compareIds(samples[a]!.id, samples[b]!.id) || a - b);
    Rng.stream(deriveSeed(options.seed ?? 0, key), { purpose: 'split' }).shuffle(members);
    let at = 0;
    largestRemainder(members.length, ratios.map(([, r]) => r)).forEach((count, k) => {
      for (const i of members.slice(at, at + count)) splitOf[i] = k;
      at += count;
    });
  }
  const out = Object.fromEntries(ratios.map(([name]) => [name, [] as Sample[]]));
  samples.forEach((s, i) => out[ratios[splitOf[i]!]![0]]!.push(s));
  return out;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Integer counts summing to `n`, each `n * ratio` rounded down or up (Hamilton's method). */
function largestRemainder(n: number, ratios: readonly number[]): number[] {
  const exact = ratios.map((r) => n * r);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  let left = n - counts.reduce((a, b) => a + b, 0);
  for (const [, k] of order) {
    if (left-- <= 0) break;
    counts[k]!++;
  }
  return counts;
}
