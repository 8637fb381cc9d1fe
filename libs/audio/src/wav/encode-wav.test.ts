import { describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import { decodeWav, encodeWav, readWavInfo } from '@omnitrain/audio';

describe('encodeWav', () => {
  it('round-trips through decodeWav to the 16-bit quantization of fresh random samples', () => {
    const frames = 500 + Math.floor(Math.random() * 500);
    const channels = [0, 1].map(() => Float32Array.from({ length: frames }, () => Math.random() * 2.4 - 1.2));
    const bytes = encodeWav({ sampleRate: 8000, channels });
    expect(readWavInfo(bytes)).toMatchObject({ encoding: 'pcm', bitDepth: 16, channels: 2, frames, sampleRate: 8000 });
    const decoded = decodeWav(bytes);
    channels.forEach((c, k) => {
      const expected = Array.from(c, (v) => Math.fround(Math.round(Math.min(1, Math.max(-1, v)) * 32767) / 32768));
      expect([...decoded.channels[k]!]).toEqual(expected);
    });
    expect(encodeWav({ sampleRate: 8000, channels })).toEqual(bytes);
  });

  it('rejects channels of different lengths', () => {
    expect(() => encodeWav({ sampleRate: 8000, channels: [new Float32Array(3), new Float32Array(4)] })).toThrow(DataError);
  });
});
