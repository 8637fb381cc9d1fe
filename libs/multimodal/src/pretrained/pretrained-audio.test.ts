import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeWav, encodeWav, resample } from '@omnitrain/audio';
import { ConfigError, readSafetensors } from '@omnitrain/core';
import type { Sample } from '@omnitrain/data';
import { transformersExtractor } from '@omnitrain/encoders';
import { MultimodalFeaturizer, fillInputShapes, multimodalEvalSource, parseFeaturesConfig, wavAudioLoader } from '@omnitrain/multimodal';

// The tiny wav2vec2-like folder of @omnitrain/encoders' fixtures (16 kHz, do_normalize, 16-d); its
// network is checked against a plain-loop oracle there. Read by path: data, not an import.
const MODEL = fileURLToPath(new URL('../../../encoders/test-fixtures/tiny-wav2vec2', import.meta.url));
const seed = Math.floor(Math.random() * 2 ** 31);
let s = seed || 1;
const uniform = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
const realFetch = globalThis.fetch;
let root: string;
let samples: Sample[];
let stereo: Float32Array[];

/** A clip of `channels` random tones + noise at `rate`, `seconds` long. */
const clip = (rate: number, seconds: number, channels: number) =>
  Array.from({ length: channels }, () => {
    const f = 0.02 + 0.2 * Math.abs(uniform());
    const g = 0.1 + 0.5 * Math.abs(uniform());
    return Float32Array.from({ length: Math.round(rate * seconds) }, (_, t) => g * Math.sin(t * f) + 0.05 * uniform());
  });

beforeAll(async () => {
  // Nothing may be downloaded: any fetch fails the test.
  globalThis.fetch = vi.fn(async (url: unknown) => {
    throw new Error(`network access attempted: ${String(url)}`);
  }) as typeof fetch;
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'omnitrain-pretrained-audio-'));
  // 8 kHz files (the model reads 16 kHz), one stereo, random lengths; a repeated file, a sample without audio.
  stereo = clip(8000, 0.3 + 0.2 * Math.abs(uniform()), 2);
  const clips = [stereo, clip(8000, 0.5, 1), clip(8000, 0.2 + 0.6 * Math.abs(uniform()), 1), clip(8000, 0.4, 1)];
  const files = await Promise.all(
    clips.map(async (channels, i) => {
      const file = join(root, `clip-${i}.wav`);
      await writeFile(file, encodeWav({ sampleRate: 8000, channels }));
      return file;
    }),
  );
  const rows: Array<string | undefined> = [...files, files[1], undefined];
  samples = rows.map((audio, i) => ({ id: `s${i}`, audio, text: 'x', labels: [String(i % 2)], extra: {}, source: { file: 'test.jsonl' } }));
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await rm(root, { recursive: true, force: true });
});

describe(`pretrained audio features (seed ${seed})`, () => {
  it('wavAudioLoader mixes channels by their mean, resamples with @omnitrain/audio\'s resampler, and fits the duration at the end', async () => {
    const loader = wavAudioLoader();
    expect(loader.id).toBe('wav:mono-mean:sinc-hann-6-0.99');
    expect(wavAudioLoader({ rolloff: 0.9 }).id).not.toBe(loader.id);
    // Oracle: the stored 16-bit samples, averaged by hand, resampled 8 -> 16 kHz.
    const stored = decodeWav(encodeWav({ sampleRate: 8000, channels: stereo })).channels;
    const mono = Float32Array.from(stored[0]!, (v, i) => (v + stored[1]![i]!) / 2);
    const want = resample(mono, 8000, 16000);
    const got = await loader.load(samples[0]!.audio!, { sampleRate: 16000 });
    expect(got.length).toBe(want.length);
    got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-6));
    const long = await loader.load(samples[0]!.audio!, { sampleRate: 16000, durationSec: 1 });
    expect(long.length).toBe(16000);
    expect(Array.from(long.subarray(0, want.length))).toEqual(Array.from(got));
    expect(long.subarray(want.length).every((v) => v === 0)).toBe(true);
    const short = await loader.load(samples[0]!.audio!, { sampleRate: 16000, durationSec: 0.1 });
    expect(Array.from(short)).toEqual(Array.from(got.subarray(0, 1600)));
  });

  it('features.audio.pretrained: [batch, 16] vectors equal to the extractor run directly on the resampled mono clip, computed once per distinct file, cached on disk, read by a vector encoder', async () => {
    const cacheDir = join(root, 'cache');
    const durationSec = 0.5;
    const config = parseFeaturesConfig({ audio: { pretrained: { type: 'transformers', modality: 'audio', path: MODEL, durationSec } } });
    const create = () => MultimodalFeaturizer.create({ config, modalities: ['audio', 'text'], classes: ['0', '1'], trainSamples: samples, cacheDir });
    const f = await create();
    expect(f.isPretrained('audio')).toBe(true);
    expect(f.audio).toBeUndefined();
    expect(f.inputShapes()).toEqual({ audio: [16], text: [8] });
    await f.prepare(samples);
    expect(f.extractorStats()).toEqual({ audio: { hits: 0, misses: 4 } });
    const batches = [];
    for await (const b of multimodalEvalSource({ samples, featurizer: f, batchSize: 64 }).batches()) batches.push(b);
    const batch = batches[0]!;
    expect(batch.inputs['audio']!.shape).toEqual([samples.length, 16]);
    expect([...(await batch.presence!['audio']!.data())]).toEqual(samples.map((x) => (x.audio ? 1 : 0)));
    const rows = (await batch.inputs['audio']!.array()) as number[][];
    const direct = await transformersExtractor({ path: MODEL, modality: 'audio', audioLoader: wavAudioLoader(), durationSec });
    const want = await direct.extract(samples.slice(0, 4).map((x) => x.audio!));
    direct.dispose();
    rows.slice(0, 4).forEach((row, i) => row.forEach((v, d) => expect(v).toBeCloseTo(want[i]![d]!, 6)));
    expect(rows[4]).toEqual(rows[1]);
    expect(rows[5]!.every((v) => v === 0)).toBe(true);
    tf.dispose([...Object.values(batch.inputs), batch.labels, ...Object.values(batch.presence!)]);

    const filled = fillInputShapes({ modalities: ['audio'], encoders: { audio: { name: 'vector', units: [8] } }, fusion: { name: 'early' }, numClasses: 2 }, f);
    expect(filled.encoders!.audio).toEqual({ name: 'vector', units: [8], inputDim: 16 });
    expect(() => fillInputShapes({ modalities: ['audio'], encoders: { audio: { name: 'audio-conv1d' } }, fusion: { name: 'early' }, numClasses: 2 }, f)).toThrow(/model\.encoders\.audio/);
    f.dispose();

    // A second run on the same cache folder computes nothing; another duration is another cache file.
    const again = await create();
    await again.prepare(samples);
    expect(again.extractorStats()).toEqual({ audio: { hits: 4, misses: 0 } });
    again.dispose();
    const other = await MultimodalFeaturizer.create({
      config: parseFeaturesConfig({ audio: { pretrained: { type: 'transformers', modality: 'audio', path: MODEL, durationSec: 0.25 } } }),
      modalities: ['audio'],
      classes: ['0', '1'],
      trainSamples: samples,
      cacheDir,
    });
    await other.prepare(samples);
    expect(other.extractorStats()).toEqual({ audio: { hits: 0, misses: 4 } });
    const files = await readdir(cacheDir);
    expect(files).toHaveLength(2);
    const keys = await Promise.all(files.map(async (file) => (await readSafetensors(join(cacheDir, file))).metadata['cacheKey']));
    expect(keys.sort()).toEqual([expect.stringMatching(/:rate=16000:duration=0\.25:loader=wav:mono-mean:sinc-hann-6-0\.99$/), expect.stringMatching(/:rate=16000:duration=0\.5:loader=wav:mono-mean/)]);
    other.dispose();
  });

  it('refuses augmentation, changed log-mel settings and a non-audio extractor on features.audio.pretrained, naming the field', () => {
    const bad = (input: unknown, pattern: RegExp) => {
      expect(() => parseFeaturesConfig(input)).toThrow(ConfigError);
      expect(() => parseFeaturesConfig(input)).toThrow(pattern);
    };
    const pretrained = { type: 'transformers', modality: 'audio', path: MODEL };
    bad({ audio: { pretrained, augment: [{ kind: 'gain', minDb: -3, maxDb: 3 }] } }, /audio\.augment: expected no augmentation with audio\.pretrained/);
    bad({ audio: { pretrained, nMels: 40 } }, /audio\.nMels: expected nMels to be left out with audio\.pretrained/);
    bad({ audio: { pretrained, sampleRate: 16000 } }, /audio\.sampleRate: .*sampling_rate is used/);
    bad({ audio: { pretrained: { type: 'use-lite' } } }, /audio\.pretrained\.type: expected an extractor that reads audio/);
    bad({ audio: { pretrained: { type: 'transformers', path: MODEL } } }, /audio\.pretrained\.type: expected an extractor that reads audio/);
    bad({ audio: { pretrained: { ...pretrained, pooling: 'cls' } } }, /audio\.pretrained\.pooling/);
    bad({ audio: { pretrained: { ...pretrained, durationSec: -1 } } }, /audio\.pretrained\.durationSec/);
    expect(parseFeaturesConfig({ audio: { pretrained, durationSec: 1, nMels: 32 } }).audio.pretrained).toMatchObject({ modality: 'audio' });
  });
});
