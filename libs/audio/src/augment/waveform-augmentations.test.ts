import { describe, expect, it } from 'vitest';
import { Rng } from '@omnitrain/core';
import { Gain, NoiseAtSnr, RealFft, SpeedChange, TimeShift } from '@omnitrain/audio';
import type { AudioClip } from '@omnitrain/audio';

const rng = () => Rng.fromSeed(Math.floor(Math.random() * 2 ** 31));
function energy(x: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += x[i]! ** 2;
  return e;
}

function randomClip(channels: number, frames: number, sampleRate = 16_000): AudioClip {
  return { sampleRate, channels: Array.from({ length: channels }, () => Float32Array.from({ length: frames }, () => Math.random() - 0.5)) };
}

/** The frequency of the strongest bin of a long FFT, with parabolic interpolation. */
function dominantFrequency(x: Float32Array, rate: number): number {
  const n = 2 ** Math.floor(Math.log2(x.length));
  const fft = new RealFft(n);
  const re = new Float64Array(fft.bins);
  const im = new Float64Array(fft.bins);
  fft.transform(Float64Array.from(x.subarray(0, n), (v, i) => v * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n))), re, im);
  const mag = Array.from(re, (r, k) => Math.log(Math.hypot(r, im[k]!) + 1e-30));
  const k = mag.indexOf(Math.max(...mag));
  const offset = (0.5 * (mag[k - 1]! - mag[k + 1]!)) / (mag[k - 1]! - 2 * mag[k]! + mag[k + 1]!);
  return ((k + offset) * rate) / n;
}

describe('Gain', () => {
  it('scales every channel by one factor within the dB range', () => {
    const clip = randomClip(2, 100);
    for (let i = 0; i < 20; i++) {
      const out = new Gain({ minDb: -9, maxDb: 4 }).apply(clip, rng());
      const db = 10 * Math.log10(energy(out.channels[0]!) / energy(clip.channels[0]!));
      expect(db).toBeGreaterThanOrEqual(-9 - 1e-4);
      expect(db).toBeLessThanOrEqual(4 + 1e-4);
      expect(10 * Math.log10(energy(out.channels[1]!) / energy(clip.channels[1]!))).toBeCloseTo(db, 4);
    }
    const exact = new Gain({ minDb: 20, maxDb: 20 }).apply(clip, rng());
    exact.channels[0]!.forEach((v, i) => expect(v).toBeCloseTo(clip.channels[0]![i]! * 10, 5));
  });
});

describe('NoiseAtSnr', () => {
  it('adds noise at exactly the target SNR, measured over all channels', () => {
    const clip = randomClip(2, 8000);
    for (const snr of [-5, 0, 12.5, 40].map((s) => s + Math.random())) {
      const out = new NoiseAtSnr({ minSnrDb: snr, maxSnrDb: snr }).apply(clip, rng());
      const added = out.channels.map((c, i) => c.map((v, t) => v - clip.channels[i]![t]!));
      const measured = 10 * Math.log10((energy(clip.channels[0]!) + energy(clip.channels[1]!)) / (energy(added[0]!) + energy(added[1]!)));
      expect(measured).toBeCloseTo(snr, 3);
      // White noise: near-zero mean, channels independent.
      const n0 = added[0]!;
      const n1 = added[1]!;
      const sd = Math.sqrt(energy(n0) / n0.length);
      // 6 sigma bands (5 sigma, over the 4 SNRs, failed about one fresh draw in 400,000).
      expect(Math.abs(n0.reduce((s, v) => s + v, 0) / n0.length)).toBeLessThan((6 * sd) / Math.sqrt(n0.length));
      const corr = n0.reduce((s, v, t) => s + v * n1[t]!, 0) / Math.sqrt(energy(n0) * energy(n1));
      expect(Math.abs(corr)).toBeLessThan(0.07); // ~6 sigma for 8000 samples
    }
  });

  it('draws SNRs across the range and leaves silence alone', () => {
    const clip = randomClip(1, 2000);
    const noise = new NoiseAtSnr({ minSnrDb: 10, maxSnrDb: 20 });
    const r = rng();
    const measured = Array.from({ length: 40 }, () => {
      const out = noise.apply(clip, r);
      return 10 * Math.log10(energy(clip.channels[0]!) / energy(out.channels[0]!.map((v, t) => v - clip.channels[0]![t]!)));
    });
    expect(Math.min(...measured)).toBeGreaterThanOrEqual(10 - 1e-3);
    expect(Math.max(...measured)).toBeLessThanOrEqual(20 + 1e-3);
    expect(Math.max(...measured) - Math.min(...measured)).toBeGreaterThan(5);
    const silent = { sampleRate: 8000, channels: [new Float32Array(100)] };
    expect(noise.apply(silent, r)).toBe(silent);
  });
});

describe('TimeShift', () => {
  it('shifts all channels by the same whole number of samples, filling with zeros or wrapping', () => {
    const clip = randomClip(2, 1000, 1000);
    for (const fill of ['zero', 'wrap'] as const) {
      const seen = new Set<number>();
      for (let i = 0; i < 30; i++) {
        const out = new TimeShift({ maxSeconds: 0.2, fill }).apply(clip, rng());
        // Find the shift from channel 0 (by 3 samples: one random float32 equals another now and then), check it on both channels.
        const shift = [...Array(401).keys()]
          .map((s) => s - 200)
          .find((s) => [0, 1, 2].every((d) => out.channels[0]![500 + s + d] === clip.channels[0]![500 + d]))!;
        expect(Math.abs(shift)).toBeLessThanOrEqual(200);
        seen.add(shift);
        for (const [c, x] of clip.channels.entries()) {
          for (let t = 0; t < 1000; t++) {
            const from = t - shift;
            const expected = from >= 0 && from < 1000 ? x[from]! : fill === 'wrap' ? x[(from + 1000) % 1000]! : 0;
            if (out.channels[c]![t] !== expected) throw new Error(`${fill} shift ${shift}: channel ${c} sample ${t}`);
          }
        }
      }
      expect(seen.size).toBeGreaterThan(20);
    }
  });
});

describe('SpeedChange', () => {
  it('scales a tone\'s frequency and the duration by the drawn factor (a multiple of 0.01)', () => {
    const rate = 16_000;
    const hz = 500 + Math.random() * 1500;
    const clip = { sampleRate: rate, channels: [Float32Array.from({ length: 8192 }, (_, t) => Math.sin((2 * Math.PI * hz * t) / rate))] };
    const speed = new SpeedChange({ minFactor: 0.8, maxFactor: 1.2 });
    const r = rng();
    for (let i = 0; i < 6; i++) {
      const out = speed.apply(clip, r).channels[0]!;
      // length = ceil(8192 * 100 / steps) for the drawn steps = 100 * factor.
      const steps = [...Array(41).keys()].map((k) => 80 + k).find((s) => Math.ceil((8192 * 100) / s) === out.length)!;
      expect(steps).toBeDefined();
      expect(dominantFrequency(out, rate) / hz).toBeCloseTo(steps / 100, 3);
    }
  });
});
