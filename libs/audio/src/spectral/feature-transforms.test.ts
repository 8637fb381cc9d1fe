import { describe, expect, it } from 'vitest';
import {
  LogMelSpectrogramTransform,
  MelSpectrogramTransform,
  MfccTransform,
  amplitudeToDb,
  dctMatrix,
  hzToMel,
  melToHz,
} from '@omnitrain/audio';

const noise = (n: number) => Float32Array.from({ length: n }, () => Math.random() - 0.5);

describe('mel scales', () => {
  it('match their closed forms and invert each other', () => {
    expect(hzToMel(700)).toBeCloseTo(2595 * Math.log10(2), 10);
    expect(hzToMel(1000, 'slaney')).toBeCloseTo(15, 12);
    expect(hzToMel(500, 'slaney')).toBeCloseTo(7.5, 12);
    expect(hzToMel(6400, 'slaney')).toBeCloseTo(15 + 27, 10); // log step: 27 mels per factor 6.4
    for (const scale of ['htk', 'slaney'] as const) {
      const hz = Math.random() * 20_000;
      expect(melToHz(hzToMel(hz, scale), scale)).toBeCloseTo(hz, 8);
    }
  });
});

describe('dctMatrix', () => {
  it('is orthonormal with norm "ortho" and matches the DCT-II definition', () => {
    const n = 24;
    const d = dctMatrix(n, n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let dot = 0;
        for (let m = 0; m < n; m++) dot += d[m * n + a]! * d[m * n + b]!;
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
      }
    }
    const plain = dctMatrix(3, 5, null);
    expect(plain[2 * 3 + 1]).toBeCloseTo(2 * Math.cos((Math.PI / 5) * 2.5 * 1), 14);
    expect(() => dctMatrix(6, 5)).toThrow(/nMfcc an integer >= 1 and <= 5/);
  });
});

describe('feature transforms', () => {
  it('rebuild from getConfig (plain JSON) into transforms with identical output', () => {
    const x = noise(3000);
    const transforms = [
      new MelSpectrogramTransform({ nMels: 40, melScale: 'slaney', norm: 'slaney', fMin: 30 }),
      new LogMelSpectrogramTransform({ nFft: 512, hopLength: 160, nMels: 64, topDb: 80 }),
      new MfccTransform({ nMfcc: 13, nMels: 40, logMels: true }),
    ];
    for (const t of transforms) {
      const config = JSON.parse(JSON.stringify(t.getConfig()));
      const Ctor = t.constructor as new (c: unknown) => typeof t;
      const rebuilt = new Ctor(config);
      expect(rebuilt.getConfig()).toEqual(t.getConfig());
      expect(rebuilt.apply(x)).toEqual(t.apply(x));
      expect(t.apply(x).bins).toBe(t.bins);
    }
  });

  it('floors dB values topDb below the maximum', () => {
    const spec = { data: Float32Array.of(1, 1e-3, 1e-9, 0), frames: 2, bins: 2 };
    expect([...amplitudeToDb(spec).data]).toEqual([0, -30, -90, -100].map(Math.fround));
    expect([...amplitudeToDb(spec, { topDb: 50 }).data]).toEqual([0, -30, -50, -50]);
    expect([...amplitudeToDb(spec, { stype: 'magnitude', ref: 10, amin: 1e-5 }).data].map((v) => Math.round(v))).toEqual([-20, -80, -120, -120]);
  });

  it('reject invalid options with the field named', () => {
    expect(() => new MelSpectrogramTransform({ fMin: 5000, fMax: 1000 })).toThrow(/fMin <= fMax, got fMin=5000, fMax=1000/);
    expect(() => new MfccTransform({ nMfcc: 50, nMels: 40 })).toThrow(/audio.MfccTransform: expected nMfcc an integer >= 1 and <= 40/);
    expect(() => new LogMelSpectrogramTransform({ topDb: -1 })).toThrow(/topDb/);
    expect(() => new MelSpectrogramTransform({ melScale: 'bark' as 'htk' })).toThrow(/melScale one of "htk", "slaney"/);
  });
});
