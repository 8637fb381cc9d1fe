import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import { splitSamples } from '@omnitrain/data';
import type { Sample } from '@omnitrain/data';

const rand = (n: number) => Math.floor(Math.random() * n);

function randomSamples(n: number, classes: number, multiLabel = false): Sample[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `s${i}-${rand(1e9)}`,
    text: 'x',
    labels: multiLabel && Math.random() < 0.5 ? [`c${rand(classes)}`, `c${rand(classes)}`] : [`c${rand(classes)}`],
    extra: {},
    source: { file: 'm.csv', line: i + 2 },
  }));
}

function shuffled<T>(xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rand(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const ids = (xs: readonly Sample[]) => xs.map((s) => s.id);
const key = (s: Sample) => [...s.labels].sort().join('\u0000');

describe('splitSamples', () => {
  it('partitions every stratum by largest remainder, deterministically and independently of row order', () => {
    for (let trial = 0; trial < 30; trial++) {
      const samples = randomSamples(1 + rand(300), 1 + rand(6), trial % 3 === 0);
      const ratios = { train: 1 + rand(10), val: rand(4), test: 1 + rand(4) };
      const total = ratios.train + ratios.val + ratios.test;
      const seed = rand(2 ** 31);
      const split = splitSamples(samples, { ratios, seed });
      expect(Object.keys(split)).toEqual(['train', 'val', 'test']);
      // a partition: every sample in exactly one split, each split in input order
      const all = Object.values(split).flat();
      expect(new Set(all).size).toBe(samples.length);
      expect(all.length).toBe(samples.length);
      for (const part of Object.values(split)) expect(ids(part)).toEqual(ids(samples.filter((s) => part.includes(s))));
      // per stratum, each split holds n * ratio rounded down or up
      for (const k of new Set(samples.map(key))) {
        const n = samples.filter((s) => key(s) === k).length;
        for (const [name, r] of Object.entries(ratios)) {
          const got = split[name]!.filter((s) => key(s) === k).length;
          expect(Math.abs(got - (n * r) / total)).toBeLessThan(1);
        }
      }
      // the same seed gives the same split, whatever the row order
      const again = splitSamples(shuffled(samples), { ratios, seed });
      for (const name of Object.keys(ratios)) expect(new Set(ids(again[name]!))).toEqual(new Set(ids(split[name]!)));
    }
  });

  it('depends on the seed', () => {
    const samples = randomSamples(200, 3);
    const a = splitSamples(samples, { seed: 1 });
    const b = splitSamples(samples, { seed: 2 });
    expect(ids(a.train!)).not.toEqual(ids(b.train!));
    expect(a.train!.length).toBe(b.train!.length);
  });

  it('without stratification, splits the whole set by ratio', () => {
    const samples = randomSamples(101, 4);
    const s = splitSamples(samples, { ratios: { a: 1, b: 1 }, stratify: false, seed: 5 });
    expect([s.a!.length, s.b!.length].sort()).toEqual([50, 51]);
  });

  it('uses the split column when every row has one and refuses a half-filled column', () => {
    const samples = randomSamples(20, 2).map((s, i) => ({ ...s, split: i % 3 === 0 ? 'test' : 'train' }));
    const s = splitSamples(samples, { seed: 3 });
    expect(ids(s.test!)).toEqual(ids(samples.filter((_, i) => i % 3 === 0)));
    expect(ids(s.train!)).toEqual(ids(samples.filter((_, i) => i % 3 !== 0)));
    const half = samples.map((x, i) => (i === 4 ? { ...x, split: undefined } : x));
    expect(() => splitSamples(half)).toThrow(DataError);
    expect(() => splitSamples(half)).toThrow(/a split on every row or on none, got 19 of 20 rows with a split \(file m.csv line 6, field split\)/);
    expect(() => splitSamples(randomSamples(3, 1), { ratios: { a: -1, b: 2 } })).toThrow(ConfigError);
  });
});
