import { describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { RealFft, SpectrogramTransform, windowFunction } from '@omnitrain/audio';

const random = (n: number): Float64Array => Float64Array.from({ length: n }, () => Math.random() * 2 - 1);

/** The textbook O(n^2) DFT, the oracle. */
function naiveDft(x: Float64Array): { re: number[]; im: number[] } {
  const n = x.length;
  const re: number[] = [];
  const im: number[] = [];
  for (let k = 0; k <= n / 2; k++) {
    let r = 0;
    let i = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * ((k * t) % n)) / n;
      r += x[t]! * Math.cos(a);
      i += x[t]! * Math.sin(a);
    }
    re.push(r);
    im.push(i);
  }
  return { re, im };
}

/** Sum over the whole two-sided spectrum of |X|^2, from the one-sided bins. */
function twoSidedEnergy(re: Float64Array, im: Float64Array, n: number): number {
  let e = 0;
  for (let k = 0; k <= n / 2; k++) {
    const mirrored = k === 0 || 2 * k === n ? 1 : 2;
    e += mirrored * (re[k]! ** 2 + im[k]! ** 2);
  }
  return e;
}

describe('RealFft', () => {
  // Powers of two; even and odd sizes with small prime factors (mixed radix: 2, 3, 4, 5
  // and the generic radix for 7, 11, 13); sizes with a prime factor > 13 (Bluestein: 34, 255).
  for (const n of [2, 3, 8, 22, 25, 34, 200, 255, 400, 512, 1000, 2 * 7 * 9 * 13]) {
    it(`equals the naive DFT and satisfies Parseval for n = ${n}`, () => {
      const fft = new RealFft(n);
      expect(fft.bins).toBe(Math.floor(n / 2) + 1);
      const x = random(n);
      const re = new Float64Array(fft.bins);
      const im = new Float64Array(fft.bins);
      fft.transform(x, re, im);
      const ref = naiveDft(x);
      const scale = x.reduce((s, v) => s + Math.abs(v), 0);
      for (let k = 0; k < fft.bins; k++) {
        expect(Math.abs(re[k]! - ref.re[k]!)).toBeLessThan(1e-12 * scale);
        expect(Math.abs(im[k]! - ref.im[k]!)).toBeLessThan(1e-12 * scale);
      }
      const energy = x.reduce((s, v) => s + v * v, 0);
      expect(twoSidedEnergy(re, im, n) / (n * energy)).toBeCloseTo(1, 12);
    });
  }

  for (const n of [2, 4, 25, 34, 200, 400, 512, 2 * 7 * 9 * 13]) {
    it(`powerSpectrum equals scale * |naive DFT of the windowed frame|^2 for n = ${n}`, () => {
      const fft = new RealFft(n);
      const offset = 1 + Math.floor(Math.random() * 7);
      const signal = Float32Array.from(random(n + 2 * offset));
      const window = Float64Array.from({ length: n }, () => Math.random());
      const scale = 0.5 + Math.random();
      const out = new Float64Array(fft.bins);
      fft.powerSpectrum(signal, offset, window, out, scale);
      const frame = Float64Array.from({ length: n }, (_, t) => signal[offset + t]! * window[t]!);
      const ref = naiveDft(frame);
      const peak = frame.reduce((s, v) => s + Math.abs(v), 0) ** 2 * scale;
      for (let k = 0; k < fft.bins; k++) {
        expect(Math.abs(out[k]! - scale * (ref.re[k]! ** 2 + ref.im[k]! ** 2))).toBeLessThan(1e-11 * peak);
      }
    });
  }

  it('rejects sizes below 2', () => {
    expect(() => new RealFft(1)).toThrow(ConfigError);
    expect(() => new RealFft(16.5)).toThrow(/size an integer >= 2/);
  });
});

describe('SpectrogramTransform known answers', () => {
  it('puts a pure tone on its bin with the closed-form power (rectangular window, whole periods)', () => {
    const nFft = 400;
    const k0 = 5 + Math.floor(Math.random() * 190);
    const amplitude = 0.1 + Math.random();
    const x = Float32Array.from({ length: 4000 }, (_, t) => amplitude * Math.cos((2 * Math.PI * k0 * t) / nFft));
    const spec = new SpectrogramTransform({ nFft, window: 'rectangular', center: false, hopLength: nFft }).apply(x);
    expect(spec.frames).toBe(10);
    for (let f = 0; f < spec.frames; f++) {
      const row = spec.data.subarray(f * spec.bins, (f + 1) * spec.bins);
      // |X[k0]| = n * A / 2 for a cosine of whole periods; every other bin is 0.
      expect(row[k0]! / ((nFft * amplitude) / 2) ** 2).toBeCloseTo(1, 5);
      const others = row.reduce((s, v, k) => (k === k0 ? s : s + v), 0);
      expect(others / row[k0]!).toBeLessThan(1e-9);
    }
  });

  it('peaks at the tone\'s bin with a Hann window and reflect padding', () => {
    const rate = 16_000;
    const nFft = 512;
    const bin = 10 + Math.floor(Math.random() * 230);
    const hz = ((bin + (Math.random() - 0.5) * 0.6) * rate) / nFft; // within 0.3 bins of a bin centre
    const x = Float32Array.from({ length: 8000 }, (_, t) => Math.sin((2 * Math.PI * hz * t) / rate + 1));
    const spec = new SpectrogramTransform({ nFft, hopLength: 160 }).apply(x);
    expect(spec.frames).toBe(1 + Math.floor(8000 / 160));
    // The first and last two frames hold the reflected padding, a tone with a phase kink at the edge.
    for (let f = 2; f < spec.frames - 2; f++) {
      const row = Array.from(spec.data.subarray(f * spec.bins, (f + 1) * spec.bins));
      expect(row.indexOf(Math.max(...row))).toBe(bin);
    }
  });

  it('keeps the signal energy (Parseval over non-overlapping rectangular frames)', () => {
    const nFft = 256;
    const x = Float32Array.from(random(nFft * 12));
    const spec = new SpectrogramTransform({ nFft, window: 'rectangular', center: false, hopLength: nFft }).apply(x);
    let spectral = 0;
    for (let f = 0; f < spec.frames; f++) {
      for (let k = 0; k < spec.bins; k++) spectral += (k === 0 || k === nFft / 2 ? 1 : 2) * spec.data[f * spec.bins + k]!;
    }
    const energy = x.reduce((s, v) => s + v * v, 0);
    expect(spectral / (nFft * energy)).toBeCloseTo(1, 5);
  });

  it('handles clips shorter than half a window (reflection repeats) and empty ones', () => {
    const stft = new SpectrogramTransform({ nFft: 400, hopLength: 160 });
    const short = stft.apply(Float32Array.from(random(50)));
    expect(short.frames).toBe(1);
    expect(short.data.every(Number.isFinite)).toBe(true);
    expect(stft.apply(new Float32Array(0)).frames).toBe(1);
    expect(new SpectrogramTransform({ nFft: 400, center: false }).apply(new Float32Array(100)).frames).toBe(0);
  });

  it('builds torch\'s periodic windows and validates its options', () => {
    [0, 0.5, 1, 0.5].forEach((v, i) => expect(windowFunction('hann', 4)[i]).toBeCloseTo(v, 15));
    expect(windowFunction('hamming', 2)[0]).toBeCloseTo(0.08, 12);
    expect([...windowFunction('hann', 1)]).toEqual([1]);
    expect(() => new SpectrogramTransform({ nFft: 400, winLength: 500 })).toThrow(/winLength an integer >= 1 and <= 400/);
    expect(() => new SpectrogramTransform({ window: 'blackman' as 'hann' })).toThrow(ConfigError);
    const config = new SpectrogramTransform({ nFft: 512 }).getConfig();
    expect(config).toEqual({
      nFft: 512, winLength: 512, hopLength: 256, window: 'hann', pad: 0, center: true, padMode: 'reflect', power: 2, normalized: false,
    });
    expect(new SpectrogramTransform(JSON.parse(JSON.stringify(config))).getConfig()).toEqual(config);
  });
});
