import { describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { LogMelSpectrogramTransform, MelSpectrogramTransform, MfccTransform, melFilterBank, windowFunction } from '@omnitrain/audio';
import type { MelSpectrogramOptions, Spectrogram, WindowKind } from '@omnitrain/audio';

// The float32 wasm SIMD kernel against two oracles on fresh random input: the float64 JS path,
// and (independent of every FFT) the textbook DFT of each windowed frame times the filter bank.
// Tolerance: relative against max(|value|, peak * 1e-5), the float32 rule of the torchaudio parity
// tests (float32 FFTs, torch's included, carry ~1e-7 of the peak as absolute noise), on power; on
// magnitudes (power 1) the same floor is sqrt(1e-5) of the peak.
const RTOL = 1e-4;
const floorOf = (peak: number, power: number | undefined): number => peak * (power === 1 ? Math.sqrt(1e-5) : 1e-5);

const randomInt = (lo: number, hi: number): number => lo + Math.floor(Math.random() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** Noise plus a few tones: a spectrum spanning tens of dB, like speech, not a flat one. */
function randomSignal(length: number, rate: number): Float32Array {
  const tones = Array.from({ length: 3 }, () => ({ hz: Math.random() * rate * 0.45, a: Math.random(), phase: Math.random() * 6 }));
  return Float32Array.from({ length }, (_, t) => {
    let v = (Math.random() - 0.5) * 0.05;
    for (const { hz, a, phase } of tones) v += a * Math.sin((2 * Math.PI * hz * t) / rate + phase);
    return v;
  });
}

function maxRelativeError(actual: Float32Array, expected: ArrayLike<number>, floor: number): number {
  let worst = actual.length === expected.length ? 0 : Infinity;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), floor);
    if (!(err <= worst)) worst = err;
  }
  return worst;
}

/** dB values compared as the values they came from (10^(dB / 10)) with the float32 rule above. */
function maxDbError(actual: Float32Array, expected: Float32Array, power: number | undefined): number {
  const undo = (d: Float32Array): Float32Array => d.map((v) => 10 ** (v / 10));
  const p = undo(expected);
  return maxRelativeError(undo(actual), p, floorOf(peakOf(p), power));
}

function peakOf(x: ArrayLike<number>): number {
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]!));
  return peak;
}

/** Mel power by definition: per frame, the O(n^2) DFT of the padded, windowed frame, |X|^p, times the filter bank. */
function naiveMel(x: Float32Array, o: Required<Pick<MelSpectrogramOptions, 'nFft' | 'hopLength' | 'nMels' | 'sampleRate' | 'power'>> & { winLength: number; window: WindowKind }): Spectrogram {
  const { nFft, hopLength, nMels, power, winLength } = o;
  const c = nFft / 2;
  const n = x.length;
  const padded = Float64Array.from({ length: n + 2 * c }, (_, i) => {
    let j = i - c; // reflect without repeating the edge
    if (j < 0) j = -j;
    if (j >= n) j = 2 * (n - 1) - j;
    return x[j]!;
  });
  const w = new Float64Array(nFft);
  w.set(windowFunction(o.window, winLength), Math.floor((nFft - winLength) / 2));
  const bins = nFft / 2 + 1;
  const fb = melFilterBank({ sampleRate: o.sampleRate, nFreqs: bins, nMels });
  const frames = 1 + Math.floor((padded.length - nFft) / hopLength);
  const data = new Float64Array(frames * nMels);
  const cos = Float64Array.from({ length: nFft }, (_, i) => Math.cos((2 * Math.PI * i) / nFft));
  const sin = Float64Array.from({ length: nFft }, (_, i) => Math.sin((2 * Math.PI * i) / nFft));
  for (let f = 0; f < frames; f++) {
    for (let k = 0; k < bins; k++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < nFft; t++) {
        const v = padded[f * hopLength + t]! * w[t]!;
        const a = (k * t) % nFft;
        re += v * cos[a]!;
        im -= v * sin[a]!;
      }
      const p = (re * re + im * im) ** (power / 2);
      for (let m = 0; m < nMels; m++) data[f * nMels + m] += p * fb.weights[k * nMels + m]!;
    }
  }
  return { data: Float32Array.from(data), frames, bins: nMels };
}

describe('wasm mel kernel', () => {
  // nFft / 2 of every size mixes the radices 4, 2, 3 and 5 (6 = 2 3, 10 = 2 5, 200 = 4 2 5 5, 360 = 4 2 3 3 5).
  for (const nFft of [4, 8, 12, 20, 24, 40, 256, 400, 512, 720, 1024]) {
    it(`equals the naive DFT mel oracle for nFft = ${nFft}`, () => {
      const options = {
        sampleRate: 16_000,
        nFft,
        hopLength: randomInt(1, nFft),
        nMels: randomInt(1, Math.min(40, nFft)),
        power: pick([1, 2]),
        winLength: pick([nFft, randomInt(1, nFft)]),
        window: pick(['hann', 'hamming', 'rectangular'] as const),
      };
      const x = randomSignal(randomInt(nFft / 2 + 1, 5 * nFft), 16_000); // 1 to ~10 frames, any count mod 4
      const mel = new MelSpectrogramTransform({ ...options, kernel: 'wasm', fMin: 0 });
      expect(mel.activeKernel).toBe('wasm');
      const actual = mel.apply(x);
      const expected = naiveMel(x, options);
      expect([actual.frames, actual.bins]).toEqual([expected.frames, expected.bins]);
      expect(maxRelativeError(actual.data, expected.data, floorOf(peakOf(expected.data), options.power))).toBeLessThan(RTOL);
    });
  }

  it('equals the float64 JS path on random settings (padding, centring, normalization, top_db)', () => {
    for (let trial = 0; trial < 12; trial++) {
      const nFft = pick([16, 48, 80, 96, 160, 256, 320, 400, 480, 512, 640, 800]);
      const options: MelSpectrogramOptions = {
        sampleRate: pick([8000, 16_000, 22_050]),
        nFft,
        hopLength: randomInt(1, nFft),
        winLength: pick([nFft, randomInt(1, nFft)]),
        window: pick(['hann', 'hamming', 'rectangular'] as const),
        pad: pick([0, randomInt(1, 50)]),
        center: pick([true, false]),
        padMode: pick(['reflect', 'constant'] as const),
        power: pick([1, 2]),
        normalized: pick([false, 'window', 'frame-length'] as const),
        nMels: randomInt(1, Math.min(96, nFft / 2)),
        melScale: pick(['htk', 'slaney'] as const),
        norm: pick(['slaney', null] as const),
      };
      const x = randomSignal(randomInt(nFft, 12_000), options.sampleRate!);
      const wasm = new MelSpectrogramTransform({ ...options, kernel: 'wasm' });
      const js = new MelSpectrogramTransform({ ...options, kernel: 'js' });
      expect(wasm.activeKernel).toBe('wasm');
      const a = wasm.apply(x);
      const b = js.apply(x);
      const context = JSON.stringify(options);
      expect([a.frames, a.bins], context).toEqual([b.frames, b.bins]);
      expect(maxRelativeError(a.data, b.data, floorOf(peakOf(b.data), options.power)), context).toBeLessThan(RTOL);

      // Log-mel: the fused dB of the kernel against the JS dB, compared as power (10^(dB / 10)).
      const topDb = pick([null, 40 + Math.random() * 60]);
      const amin = pick([1e-10, 1e-6]);
      const la = new LogMelSpectrogramTransform({ ...options, topDb, amin, kernel: 'wasm' }).apply(x);
      const lb = new LogMelSpectrogramTransform({ ...options, topDb, amin, kernel: 'js' }).apply(x);
      expect(maxDbError(la.data, lb.data, options.power), context).toBeLessThan(RTOL);
    }
  });

  it('reuses one transform across clips of any length (memory grows; shorter clips after longer ones)', () => {
    const wasm = new LogMelSpectrogramTransform({ nFft: 400, hopLength: 160, nMels: 64, topDb: 80 });
    const js = new LogMelSpectrogramTransform({ nFft: 400, hopLength: 160, nMels: 64, topDb: 80, kernel: 'js' });
    for (const seconds of [0.5, 70, 0.01, 3]) {
      const x = randomSignal(Math.round(seconds * 16_000), 16_000);
      const a = wasm.apply(x);
      const b = js.apply(x);
      expect(a.frames).toBe(b.frames);
      expect(maxDbError(a.data, b.data, 2)).toBeLessThan(RTOL);
    }
    expect(wasm.apply(new Float32Array(0)).frames).toBe(1); // reflect padding of nothing: one zero frame
    expect(new MelSpectrogramTransform({ nFft: 400, center: false }).apply(new Float32Array(100)).frames).toBe(0);
  });

  it('falls back to the JS path for settings the kernel lacks, and records the choice in the config', () => {
    const x = randomSignal(4000, 16_000);
    for (const options of [{ nFft: 255 }, { nFft: 402 }, { nFft: 28 }, { nFft: 400, power: 1.5 }, { nFft: 400, kernel: 'js' as const }]) {
      const wasm = new MelSpectrogramTransform({ nMels: 8, ...options });
      expect(wasm.activeKernel, JSON.stringify(options)).toBe('js');
      expect(wasm.apply(x).data).toEqual(new MelSpectrogramTransform({ nMels: 8, ...options, kernel: 'js' }).apply(x).data);
    }
    expect(new LogMelSpectrogramTransform({ nFft: 400, amin: 1e-40 }).activeKernel).toBe('js'); // a subnormal float32 floor
    const mfcc = new MfccTransform({ nFft: 512, nMels: 40, nMfcc: 13 });
    expect(mfcc.activeKernel).toBe('wasm');
    expect(mfcc.getConfig().kernel).toBe('wasm');
    const config = new LogMelSpectrogramTransform({ nFft: 512, kernel: 'js' }).getConfig();
    expect(config.kernel).toBe('js');
    expect(new LogMelSpectrogramTransform(JSON.parse(JSON.stringify(config))).activeKernel).toBe('js');
    expect(() => new MelSpectrogramTransform({ kernel: 'gpu' as 'js' })).toThrow(ConfigError);
    expect(() => new LogMelSpectrogramTransform({ kernel: 'simd' as 'js' })).toThrow(/kernel/);
  });
});
