import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, initBackend } from '@omnitrain/core';
import type { Sample } from '@omnitrain/data';
import { mobilenetV2Extractor, useLiteExtractor } from '@omnitrain/encoders';
import type { FeatureExtractor } from '@omnitrain/encoders';
import { encodePng, floatImage } from '@omnitrain/image';
import {
  MultimodalFeaturizer,
  MultimodalModel,
  fillInputShapes,
  multimodalBatchSource,
  multimodalEvalSource,
  parseFeaturesConfig,
} from '@omnitrain/multimodal';

const seed = Math.floor(Math.random() * 2 ** 31);
let s = seed || 1;
const rand = (n: number) => (s = (s * 1664525 + 1013904223) >>> 0) % n;
const words = ['red', 'cat', 'dog', 'sat', 'on', 'the', 'mat', 'seven', 'three', 'green', 'river', 'ran', 'fast', 'tree'];
const sentence = () => Array.from({ length: 2 + rand(4) }, () => words[rand(words.length)]!).join(' ');

const realFetch = globalThis.fetch;
let root: string;
let oracle: FeatureExtractor;
let samples: Sample[];
let texts: string[];

beforeAll(async () => {
  // Nothing may be downloaded: any fetch fails the test.
  globalThis.fetch = vi.fn(async (url: unknown) => {
    throw new Error(`network access attempted: ${String(url)}`);
  }) as typeof fetch;
  // USE lite runs ~7x faster on wasm than on the pure-JS cpu backend (measured: 15 vs 100 ms per text).
  await initBackend({ backend: 'wasm', env: {} });
  root = await mkdtemp(join(tmpdir(), 'omnitrain-pretrained-vectors-'));
  oracle = await useLiteExtractor();
  // 6 distinct texts over 9 samples: a repeat, a blank one, one without text.
  texts = [...new Set(Array.from({ length: 12 }, sentence))].slice(0, 6);
  const rows: Array<string | undefined> = [...texts, texts[1], '  ', undefined];
  samples = await Promise.all(
    rows.map(async (text, i) => {
      const image = join(root, `img-${i}.png`);
      await writeFile(image, await encodePng(floatImage([8, 8, 1], Float32Array.from({ length: 64 }, () => rand(256) / 255))));
      return { id: `s${i}`, text, image, labels: [String(i % 2)], extra: {}, source: { file: 'test.jsonl' } } satisfies Sample;
    }),
  );
});
afterAll(() => {
  oracle?.dispose();
  globalThis.fetch = realFetch;
});

const config = (extra: Record<string, unknown> = {}) =>
  parseFeaturesConfig({ image: { size: [8, 8] }, text: { pretrained: { type: 'use-lite' } }, ...extra });

describe(`pretrained features in the multimodal pipeline (seed ${seed})`, () => {
  it('batches [batch, 512] text vectors equal to the extractor run directly, with presence, computed once per distinct text and cached on disk', async () => {
    const cacheDir = join(root, 'cache');
    const f = await MultimodalFeaturizer.create({ config: config(), modalities: ['image', 'text'], classes: ['0', '1'], trainSamples: samples, cacheDir });
    expect(f.isPretrained('text')).toBe(true);
    expect(f.isPretrained('image')).toBe(false);
    expect(f.text).toBeUndefined();
    expect(f.inputShapes()).toEqual({ image: [8, 8, 1], text: [512] });
    await f.prepare(samples);
    expect(f.extractorStats()).toEqual({ text: { hits: 0, misses: texts.length } });

    const [batch] = await (async () => {
      const out = [];
      for await (const b of multimodalEvalSource({ samples, featurizer: f, batchSize: 64 }).batches()) out.push(b);
      return out;
    })();
    expect(batch!.inputs['text']!.shape).toEqual([samples.length, 512]);
    expect(batch!.inputs['text.ids']).toBeUndefined();
    expect(batch!.inputs['image']!.shape).toEqual([samples.length, 8, 8, 1]);
    expect([...(await batch!.presence!['text']!.data())]).toEqual(samples.map((x) => (x.text?.trim() ? 1 : 0)));
    const rows = (await batch!.inputs['text']!.array()) as number[][];
    // Oracle: USE lite itself, run directly on the distinct texts.
    const direct = await oracle.extract(texts);
    for (const [i, x] of samples.entries()) {
      if (!x.text?.trim()) {
        expect(rows[i]!.every((v) => v === 0)).toBe(true);
        continue;
      }
      const want = direct[texts.indexOf(x.text)]!;
      rows[i]!.forEach((v, d) => expect(v).toBeCloseTo(want[d]!, 5));
    }
    tf.dispose([...Object.values(batch!.inputs), batch!.labels, ...Object.values(batch!.presence!)]);

    // Two training epochs read memory: the extractor computes nothing more.
    const train = multimodalBatchSource({ samples, featurizer: f, batchSize: 4, seed });
    for (let e = 0; e < 2; e++) {
      for await (const b of train.epoch()) tf.dispose([...Object.values(b.inputs), b.labels, ...Object.values(b.presence!)]);
    }
    expect(f.extractorStats()).toEqual({ text: { hits: 0, misses: texts.length } });
    f.dispose();

    // A second featurizer on the same cache folder (a second run) computes nothing: 100% hits.
    const [file] = await readdir(cacheDir);
    const before = await stat(join(cacheDir, file!));
    const again = await MultimodalFeaturizer.create({ config: config(), modalities: ['image', 'text'], classes: ['0', '1'], trainSamples: samples, cacheDir });
    await again.prepare(samples);
    expect(again.extractorStats()).toEqual({ text: { hits: texts.length, misses: 0 } });
    expect((await stat(join(cacheDir, file!))).mtimeMs).toBe(before.mtimeMs);
    // A text never seen (predict on new rows) is computed on demand, batched with its tick.
    const fresh = `${sentence()} ${seed}`;
    const got = await Promise.all([
      again.featurize({ ...samples[0]!, id: 'new', text: fresh }),
      again.featurize({ ...samples[1]!, id: 'new2', text: `${fresh} again` }),
    ]);
    expect(again.extractorStats()).toEqual({ text: { hits: texts.length, misses: 2 } });
    const [want] = await oracle.extract([fresh]);
    Array.from(got[0]!.vectors!.text!).forEach((v, d) => expect(v).toBeCloseTo(want![d]!, 5));
    again.dispose();
  });

  it('feeds a vector encoder: fillInputShapes sets its inputDim, the model trains on it, other encoders are refused naming the field', async () => {
    const f = await MultimodalFeaturizer.create({ config: config(), modalities: ['text'], classes: ['0', '1'], trainSamples: samples, cacheDir: join(root, 'cache') });
    const started = performance.now();
    const base = { modalities: ['text' as const], fusion: { name: 'early', hiddenDim: 8 }, numClasses: 2, seed: 3 };
    const filled = fillInputShapes({ ...base, encoders: { text: { name: 'vector', units: [16] } } }, f);
    expect(filled.encoders.text).toEqual({ name: 'vector', units: [16], inputDim: 512 });
    const model = new MultimodalModel(filled);
    const optimizer = tf.train.adam(0.05);
    const losses: number[] = [];
    const train = multimodalBatchSource({ samples, featurizer: f, batchSize: samples.length, seed });
    for (let e = 0; e < 8; e++) {
      for await (const b of train.epoch()) {
        const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(b.labels, 2), model.forward(b, { training: true })) as tf.Scalar, true);
        losses.push((await loss!.data())[0]!);
        tf.dispose([loss!, ...Object.values(b.inputs), b.labels, ...Object.values(b.presence!)]);
      }
    }
    console.log(`8 steps in ${(performance.now() - started).toFixed(0)} ms`);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    model.dispose();
    optimizer.dispose();
    expect(() => fillInputShapes({ ...base, encoders: { text: { name: 'bag-of-embeddings' } } }, f)).toThrow(ConfigError);
    expect(() => fillInputShapes({ ...base, encoders: { text: { name: 'bag-of-embeddings' } } }, f)).toThrow(/model\.encoders\.text/);
    f.dispose();
  });

  it('reads image files through MobileNetV2 as [batch, 1280] vectors equal to the extractor run directly', async () => {
    const chosen = samples.slice(0, 3);
    const f = await MultimodalFeaturizer.create({
      config: parseFeaturesConfig({ image: { pretrained: { type: 'mobilenet-v2' } } }),
      modalities: ['image'],
      classes: ['0', '1'],
      trainSamples: samples,
      cacheDir: join(root, 'image-cache'),
    });
    expect(f.inputShapes()).toEqual({ image: [1280] });
    const filled = fillInputShapes({ modalities: ['image'], encoders: { image: { name: 'vector', units: [] } }, fusion: { name: 'early' }, numClasses: 2 }, f);
    expect(filled.encoders.image).toEqual({ name: 'vector', units: [], inputDim: 1280 });
    const batches = [];
    for await (const b of multimodalEvalSource({ samples: chosen, featurizer: f, batchSize: 8 }).batches()) batches.push(b);
    expect(batches[0]!.inputs['image']!.shape).toEqual([3, 1280]);
    const rows = (await batches[0]!.inputs['image']!.array()) as number[][];
    const mobilenet = await mobilenetV2Extractor();
    const direct = await mobilenet.extract(chosen.map((x) => x.image!));
    mobilenet.dispose();
    rows.forEach((row, i) => row.forEach((v, d) => expect(v).toBeCloseTo(direct[i]![d]!, 4)));
    expect(f.extractorStats()).toEqual({ image: { hits: 0, misses: 3 } });
    tf.dispose([...Object.values(batches[0]!.inputs), batches[0]!.labels, ...Object.values(batches[0]!.presence!)]);
    f.dispose();
  });

  it('refuses bad pretrained configs with a ConfigError naming the field, and a missing model folder naming the path', async () => {
    const bad = (input: unknown, pattern: RegExp) => {
      expect(() => parseFeaturesConfig(input)).toThrow(ConfigError);
      expect(() => parseFeaturesConfig(input)).toThrow(pattern);
    };
    bad({ text: { pretrained: { type: 'use-light' } } }, /text\.pretrained\.type.*use-lite/s);
    bad({ image: { pretrained: { type: 'mobilenet-v2' }, augment: [{ kind: 'random-rotation', degrees: 10 }] } }, /image\.augment: expected no augmentation.*frozen and cached/);
    bad({ image: { pretrained: { type: 'use-lite' } } }, /image\.pretrained\.type: expected an extractor that reads image/);
    bad({ text: { pretrained: { type: 'use-lite' }, maxLength: 16 } }, /text\.maxLength: expected maxLength to be left out/);
    bad({ image: { pretrained: { type: 'mobilenet-v2' }, size: [32, 32] } }, /image\.size/);
    bad({ audio: { pretrained: { type: 'use-lite' } } }, /audio\.pretrained\.type: expected an extractor that reads audio/);
    // Defaults written out explicitly are not a conflict.
    expect(parseFeaturesConfig({ text: { pretrained: { type: 'use-lite' }, maxLength: 8 } }).text.pretrained?.type).toBe('use-lite');
    const missing = join(root, `no-model-${seed}`);
    const create = () =>
      MultimodalFeaturizer.create({ config: parseFeaturesConfig({ text: { pretrained: { type: 'transformers', path: missing } } }), classes: ['0', '1'], trainSamples: samples });
    await expect(create()).rejects.toThrow(ConfigError);
    await expect(create()).rejects.toThrow(missing);
  });
});
