import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import { clipDuration, decodeWav, fitDuration, loadWav, readWavInfo, toMono } from '@omnitrain/audio';

type Depth = '8' | '16' | '24' | '32' | '32f' | '64';
/** Per wavefile bit depth: how to draw a random stored value, and the float torchaudio makes of it. */
const FORMATS: Record<Depth, { draw: () => number; toFloat: (v: number) => number }> = {
  '8': { draw: () => randomInt(0, 255), toFloat: (v) => (v - 128) / 128 },
  '16': { draw: () => randomInt(-32768, 32767), toFloat: (v) => v / 32768 },
  '24': { draw: () => randomInt(-8388608, 8388607), toFloat: (v) => v / 8388608 },
  '32': { draw: () => randomInt(-2147483648, 2147483647), toFloat: (v) => v / 2147483648 },
  '32f': { draw: () => Math.random() * 2 - 1, toFloat: (v) => Math.fround(v) },
  '64': { draw: () => Math.random() * 2 - 1, toFloat: (v) => Math.fround(v) },
};

function randomInt(from: number, to: number): number {
  return from + Math.floor(Math.random() * (to - from + 1));
}

function writeWav(depth: Depth, channels: number[][], rate = 16_000): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(channels.length, rate, depth, channels);
  return wav.toBuffer();
}

function randomChannels(depth: Depth, count: number, frames: number): number[][] {
  return Array.from({ length: count }, () => Array.from({ length: frames }, FORMATS[depth].draw));
}

describe('decodeWav', () => {
  for (const depth of Object.keys(FORMATS) as Depth[]) {
    for (const count of [1, 2, 5]) {
      it(`round-trips ${depth}-bit ${count}-channel files exactly (to float32)`, () => {
        const stored = randomChannels(depth, count, 300 + randomInt(0, 200));
        const clip = decodeWav(writeWav(depth, stored, 22_050));
        expect(clip.sampleRate).toBe(22_050);
        expect(clip.channels).toHaveLength(count);
        clip.channels.forEach((c, i) => expect([...c]).toEqual(stored[i]!.map((v) => Math.fround(FORMATS[depth].toFloat(v)))));
      });
    }
  }

  it('reads big-endian RIFX files and WAVE_FORMAT_EXTENSIBLE headers', () => {
    for (const depth of ['16', '24', '32f'] as const) {
      const stored = randomChannels(depth, 2, 100);
      const wav = new wavefile.WaveFile(writeWav(depth, stored));
      wav.toRIFX();
      const expected = stored.map((c) => c.map((v) => Math.fround(FORMATS[depth].toFloat(v))));
      expect(decodeWav(wav.toBuffer()).channels.map((c) => [...c])).toEqual(expected);
    }
    const stored = randomChannels('24', 4, 50);
    const bytes = writeWav('24', stored); // 4 channels: wavefile writes a 40-byte fmt with a subformat GUID
    new DataView(bytes.buffer, bytes.byteOffset).setUint16(20, 0xfffe, true);
    expect(readWavInfo(bytes)).toMatchObject({ encoding: 'pcm', bitDepth: 24, channels: 4, frames: 50 });
    expect(decodeWav(bytes).channels[3]![7]).toBe(Math.fround(stored[3]![7]! / 8388608));
  });

  it('mixes down to mono by averaging channels', () => {
    const stored = randomChannels('32f', 3, 64);
    const mono = decodeWav(writeWav('32f', stored), { mono: true });
    expect(mono.channels).toHaveLength(1);
    mono.channels[0]!.forEach((v, i) => {
      const mean = stored.reduce((s, c) => s + Math.fround(c[i]!), 0) / 3;
      expect(v).toBeCloseTo(mean, 6);
    });
    const single = decodeWav(writeWav('16', randomChannels('16', 1, 10)));
    expect(toMono(single)).toBe(single);
  });

  it('reports a truncated data chunk with the bytes expected and found, naming the file', () => {
    const bytes = writeWav('16', randomChannels('16', 2, 1000)); // 4000 bytes of samples
    const cut = randomInt(1, 3990);
    const truncated = bytes.subarray(0, bytes.length - cut);
    const decode = () => decodeWav(truncated, { file: 'clips/0042.wav' });
    expect(decode).toThrow(DataError);
    expect(decode).toThrow(`audio.readWav: expected 4000 bytes of sample data (as the data chunk header declares), got ${4000 - cut} bytes (file clips/0042.wav)`);
    expect(() => readWavInfo(truncated, { file: 'x.wav' })).toThrow(/truncated/);
  });

  it('rejects corrupt, non-WAV and unsupported files with the reason', () => {
    const good = writeWav('16', randomChannels('16', 1, 100));
    expect(() => decodeWav(good.subarray(0, 30), { file: 'head.wav' })).toThrow(/do not parse .*Could not find the "data" chunk.*\(file head\.wav\)/);
    expect(() => decodeWav(new TextEncoder().encode('just some text, not audio'), { file: 'a.txt' })).toThrow(DataError);
    const mulaw = new wavefile.WaveFile();
    mulaw.fromScratch(1, 8000, '8m', [1, 2, 3]);
    expect(() => decodeWav(mulaw.toBuffer(), { file: 'mu.wav' })).toThrow(
      /expected 8\/16\/24\/32-bit PCM or 32\/64-bit float, got 8-bit mu-law \(file mu\.wav\)/,
    );
    const badAlign = good.slice();
    new DataView(badAlign.buffer).setUint16(32, 3, true); // blockAlign 3 for 16-bit mono
    expect(() => decodeWav(badAlign)).toThrow(/blockAlign 3/);
    const partialFrame = writeWav('16', randomChannels('16', 2, 10));
    new DataView(partialFrame.buffer).setUint32(40, 39, true); // data chunk of 39 bytes: 9.75 frames
    expect(() => decodeWav(partialFrame)).toThrow(/whole 4-byte frames, got 39 bytes/);
  });
});

describe('loadWav, readWavInfo, fitDuration', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omnitrain-audio-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads, mixes down and resamples a file; reads its header alone', async () => {
    const path = join(dir, 'stereo.wav');
    const bytes = writeWav('16', randomChannels('16', 2, 44_100), 44_100);
    await writeFile(path, bytes);
    expect(readWavInfo(bytes)).toEqual({
      encoding: 'pcm', bitDepth: 16, channels: 2, sampleRate: 44_100, frames: 44_100, duration: 1, container: 'RIFF',
    });
    const clip = await loadWav(path, { mono: true, sampleRate: 16_000 });
    expect(clip.sampleRate).toBe(16_000);
    expect(clip.channels).toHaveLength(1);
    expect(clipDuration(clip)).toBe(1);
    await expect(loadWav(join(dir, 'missing.wav'))).rejects.toThrow(/expected a readable WAV file, got ENOENT \(file .*missing\.wav\)/);
  });

  it('trims and pads to a duration with start, centre and end alignment', () => {
    const samples = Float32Array.from({ length: 10 }, (_, i) => i + 1);
    const clip = { sampleRate: 10, channels: [samples, samples.map((v) => -v)] };
    expect([...fitDuration(clip, 0.4).channels[0]!]).toEqual([1, 2, 3, 4]);
    expect([...fitDuration(clip, 0.4, { align: 'end' }).channels[1]!]).toEqual([-7, -8, -9, -10]);
    expect([...fitDuration(clip, 0.5, { align: 'center' }).channels[0]!]).toEqual([3, 4, 5, 6, 7]);
    expect([...fitDuration(clip, 1.3).channels[0]!]).toEqual([...samples, 0, 0, 0]);
    expect([...fitDuration(clip, 1.3, { align: 'end' }).channels[0]!]).toEqual([0, 0, 0, ...samples]);
    expect([...fitDuration(clip, 1.3, { align: 'center' }).channels[0]!]).toEqual([0, ...samples, 0, 0]);
    expect(fitDuration(clip, 0).channels[0]).toHaveLength(0);
    expect(() => fitDuration(clip, -1)).toThrow(/seconds a finite number >= 0/);
  });
});
