import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import { MinMaxScaler, Standardizer, channelStats, featureTransformFromConfig } from '@omnitrain/data';

const rand = (n: number) => Math.floor(Math.random() * n);

/** Random rows with a different offset and spread per channel. */
function randomData(rows: number, channels: number): Float32Array {
  const offset = Array.from({ length: channels }, () => Math.random() * 200 - 100);
  const spread = Array.from({ length: channels }, () => 0.1 + Math.random() * 20);
  return Float32Array.from({ length: rows * channels }, (_, i) => offset[i % channels]! + spread[i % channels]! * (Math.random() - 0.5));
}

/** Two-pass float64 reference statistics of channel c. */
function reference(x: Float32Array, channels: number, c: number) {
  const v = Array.from(x).filter((_, i) => i % channels === c);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return { mean, variance, min: Math.min(...v), max: Math.max(...v) };
}

function chunks(x: Float32Array, channels: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let at = 0; at < x.length; ) {
    const len = rand(8) * channels;
    out.push(x.slice(at, at + len));
    at += len;
  }
  return out;
}

describe('channelStats', () => {
  it('matches a two-pass reference, whole or in random chunks', () => {
    for (let trial = 0; trial < 20; trial++) {
      const channels = 1 + rand(5);
      const x = randomData(1 + rand(200), channels);
      for (const s of [channelStats(x, channels), channelStats(chunks(x, channels), channels)]) {
        for (let c = 0; c < channels; c++) {
          const r = reference(x, channels, c);
          expect(s.mean[c]).toBeCloseTo(r.mean, 9);
          if (r.variance === 0) expect(s.variance[c]).toBe(0); // one row: no spread (a ratio would be 0/0)
          else expect(s.variance[c]! / r.variance).toBeCloseTo(1, 9);
          expect([s.min[c], s.max[c]]).toEqual([r.min, r.max]);
        }
        expect(s.count).toBe(x.length / channels);
      }
    }
  });
});

describe('Standardizer', () => {
  it('fitted on train gives mean 0 and std 1 there, and the same numbers at eval after a JSON round trip', () => {
    for (let trial = 0; trial < 10; trial++) {
      const channels = 1 + rand(4); // per feature of vectors, or per colour channel of [n, h, w, c] images
      const train = randomData(50 + rand(100), channels);
      const evalX = randomData(20, channels);
      const scaler = Standardizer.fit(chunks(train, channels), channels);
      const y = scaler.transform(train);
      for (let c = 0; c < channels; c++) {
        const r = reference(y, channels, c);
        expect(r.mean).toBeCloseTo(0, 5);
        expect(Math.sqrt(r.variance)).toBeCloseTo(1, 5);
        const t = reference(train, channels, c);
        const i = c + channels * rand(evalX.length / channels);
        const expected = (evalX[i]! - t.mean) / Math.sqrt(t.variance);
        expect(Math.abs(scaler.transform(evalX)[i]! - expected)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)));
      }
      const restored = featureTransformFromConfig(JSON.parse(JSON.stringify(scaler.getConfig())));
      expect(restored).toBeInstanceOf(Standardizer);
      expect(restored.transform(evalX)).toEqual(scaler.transform(evalX));
    }
  });

  it('maps a constant channel to 0 and takes fixed per-channel constants', () => {
    const x = Float32Array.of(5, 1, 5, 3, 5, 8);
    expect(Standardizer.fit(x, 2).std[0]).toBe(1);
    expect(Array.from(Standardizer.fit(x, 2).transform(x)).filter((_, i) => i % 2 === 0)).toEqual([0, 0, 0]);
    const imagenet = new Standardizer([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
    const pixel = Float32Array.of(0.5, 0.5, 0.5);
    expect(Array.from(imagenet.transform(pixel))).toEqual([0.5 - 0.485, 0.5 - 0.456, 0.5 - 0.406].map((d, c) => Math.fround(d / imagenet.std[c]!)));
    expect(() => new Standardizer([0], [0])).toThrow(ConfigError);
    expect(() => Standardizer.fit(new Float32Array(0), 2)).toThrow(DataError);
    expect(() => imagenet.transform(Float32Array.of(1, 2))).toThrow(/last axis has 3 values, got 2 values/);
    expect(() => featureTransformFromConfig({ kind: 'standardise' })).toThrow(/Did you mean "standardize"\?/);
    expect(() => featureTransformFromConfig({ kind: 'standardize', mean: [1, 2], std: [1] })).toThrow(ConfigError);
  });
});

describe('MinMaxScaler', () => {
  it('maps the training range of each channel onto the target range, identically after a round trip', () => {
    const channels = 1 + rand(4);
    const train = randomData(100, channels);
    const lo = Math.random() * 4 - 2;
    const range: [number, number] = [lo, lo + 0.5 + Math.random() * 3];
    const scaler = MinMaxScaler.fit(train, channels, { range });
    const y = scaler.transform(train);
    for (let c = 0; c < channels; c++) {
      const r = reference(y, channels, c);
      expect(r.min).toBeCloseTo(range[0], 5);
      expect(r.max).toBeCloseTo(range[1], 5);
    }
    const wide = Float32Array.from(train, (v) => v * 3);
    expect(Array.from(scaler.transform(wide)).some((v) => v < range[0] - 1e-3 || v > range[1] + 1e-3)).toBe(true);
    const clipped = MinMaxScaler.fit(train, channels, { range, clip: true });
    expect(Array.from(clipped.transform(wide)).every((v) => v >= Math.fround(range[0]) && v <= Math.fround(range[1]))).toBe(true);
    const restored = featureTransformFromConfig(JSON.parse(JSON.stringify(clipped.getConfig())));
    expect(restored.transform(wide)).toEqual(clipped.transform(wide));
    expect(() => MinMaxScaler.fromConfig({ kind: 'min-max', min: [2], max: [1], range: [0, 1], clip: false })).toThrow(ConfigError);
  });
});
