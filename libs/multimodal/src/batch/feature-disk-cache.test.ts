import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '@omnitrain/data';
import type { Sample } from '@omnitrain/data';
import type { TrainBatch } from '@omnitrain/engine';
import { FeatureDiskCache, MultimodalFeaturizer, buildDigits, collateFeatures, featureCodeVersion, multimodalBatchSource, parseFeaturesConfig } from '@omnitrain/multimodal';
import type { FeaturesConfig, FeaturesConfigInput, SampleFeatures } from '@omnitrain/multimodal';

let dir: string;
let samples: Sample[];
let classes: string[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'omnitrain-feature-cache-'));
  const { manifest } = await buildDigits({ outDir: dir, samplesPerClass: 3, seed: Math.floor(Math.random() * 1e6) });
  ({ samples, classes } = await readManifest(manifest));
});

const random = () => Math.floor(Math.random() * 1e6);

async function featurizerOf(input: FeaturesConfigInput, trainSamples: readonly Sample[] = samples): Promise<{ config: FeaturesConfig; f: MultimodalFeaturizer }> {
  const config = parseFeaturesConfig(input);
  return { config, f: await MultimodalFeaturizer.create({ config, classes, trainSamples }) };
}

/** The bytes of every field, for a bit-for-bit comparison. */
function bytes(x: SampleFeatures): Record<string, number[] | string | number> {
  const b = (a: ArrayBufferView | undefined) => (a ? [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)] : []);
  return { id: x.id, label: x.label, image: b(x.image), audio: b(x.audio), ids: b(x.text?.ids), mask: b(x.text?.attentionMask) };
}

async function entries(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) if (e.isFile() && e.name.endsWith('.f32')) out.push(join(e.parentPath, e.name));
  return out;
}

const PLAIN: FeaturesConfigInput = { image: { size: [10, 14] }, audio: { nMels: 12, hopLength: 256 } };

describe('FeatureDiskCache', () => {
  it('gives the featurizer\'s features bit for bit, cold then warm (read back by a new process\'s cache), training and eval', async () => {
    const root = await mkdtemp(join(tmpdir(), 'omnitrain-fc-'));
    const input = { ...PLAIN, seed: random() };
    const cold = await featurizerOf(input);
    const compute = (f: MultimodalFeaturizer) => (s: Sample, o: { epoch?: number; training?: boolean }) => f.featurize(s, o);
    const coldCache = FeatureDiskCache.open({ dir: root, config: cold.config, featurizer: cold.f });
    const reference = await featurizerOf(input);
    for (const s of samples) expect(bytes(await coldCache.featurize(s, { epoch: 0, training: true }, compute(cold.f)))).toEqual(bytes(await reference.f.featurize(s)));
    await coldCache.flush();
    const withFiles = samples.filter((s) => s.image).length + samples.filter((s) => s.audio).length;
    expect(coldCache.stats()).toEqual({ image: { hits: 0, misses: samples.filter((s) => s.image).length }, audio: { hits: 0, misses: samples.filter((s) => s.audio).length } });
    expect(await entries(root)).toHaveLength(withFiles);

    // A fresh featurizer and cache (as in the next run): every image and audio from disk, same bytes.
    const warm = await featurizerOf(input);
    const warmCache = FeatureDiskCache.open({ dir: root, config: warm.config, featurizer: warm.f });
    for (const epoch of [0, 1]) {
      for (const training of [true, false]) {
        for (const s of samples) expect(bytes(await warmCache.featurize(s, { epoch, training }, compute(warm.f)))).toEqual(bytes(await reference.f.featurize(s, { epoch, training })));
      }
    }
    // Read from disk once each (then from memory), none computed.
    expect(warmCache.stats()).toEqual({ image: { hits: samples.filter((s) => s.image).length, misses: 0 }, audio: { hits: samples.filter((s) => s.audio).length, misses: 0 } });
  });

  it('leaves augmented modalities to the featurizer (training) and still caches them for evaluation', async () => {
    const root = await mkdtemp(join(tmpdir(), 'omnitrain-fc-'));
    const input: FeaturesConfigInput = { ...PLAIN, image: { size: [12, 12], augment: [{ kind: 'random-rotation', degrees: 25 }] }, seed: random() };
    const { config, f } = await featurizerOf(input);
    const reference = (await featurizerOf(input)).f;
    const cache = FeatureDiskCache.open({ dir: root, config, featurizer: f });
    const epoch = 1 + Math.floor(Math.random() * 5);
    for (const s of samples) {
      const got = await cache.featurize(s, { epoch, training: true }, (x, o) => f.featurize(x, o));
      expect(bytes(got)).toEqual(bytes(await reference.featurize(s, { epoch, training: true })));
    }
    expect(cache.stats().image).toEqual({ hits: 0, misses: 0 });
    for (const s of samples) expect(bytes(await cache.featurize(s, {}, (x, o) => f.featurize(x, o)))).toEqual(bytes(await reference.featurize(s)));
    expect(cache.stats().image!.misses).toBe(samples.filter((s) => s.image).length);
    // The augmentation is real: training features differ from the plain ones.
    const s = samples.find((x) => x.image)!;
    expect(bytes(await reference.featurize(s, { epoch, training: true })).image).not.toEqual(bytes(await reference.featurize(s)).image);
  });

  it('never serves stale features: a file whose content changed, a changed config, a damaged entry', async () => {
    const root = await mkdtemp(join(tmpdir(), 'omnitrain-fc-'));
    const input = { ...PLAIN, seed: random() };
    const own = await mkdtemp(join(dir, 'files-'));
    // Private copies of two images and two clips, so this test can rewrite them.
    const [a, b] = samples.filter((s) => s.image && s.audio).slice(0, 2);
    const copy = async (s: Sample, name: string): Promise<Sample> => {
      const image = join(own, `${name}.png`);
      const audio = join(own, `${name}.wav`);
      await copyFile(s.image!, image);
      await copyFile(s.audio!, audio);
      return { ...s, image, audio };
    };
    const sa = await copy(a!, 'a');
    const sb = await copy(b!, 'b');
    const warnings: string[] = [];
    const open = async (i: FeaturesConfigInput) => {
      const { config, f } = await featurizerOf(i);
      const cache = FeatureDiskCache.open({ dir: root, config, featurizer: f, onWarning: (m) => warnings.push(m) });
      return { cache, get: (s: Sample) => cache.featurize(s, {}, (x, o) => f.featurize(x, o)) };
    };
    const first = await open(input);
    const before = await first.get(sa);
    await first.cache.flush();
    // Same path, other content (b's files written over a's): the features follow the content.
    await writeFile(sa.image!, await readFile(sb.image!));
    await writeFile(sa.audio!, await readFile(sb.audio!));
    const second = await open(input);
    const after = await second.get(sa);
    const truth = await (await featurizerOf(input)).f.featurize(sb);
    expect(bytes(after).image).toEqual(bytes(truth).image);
    expect(bytes(after).audio).toEqual(bytes(truth).audio);
    expect(bytes(after).image).not.toEqual(bytes(before).image);
    expect(second.cache.stats()).toEqual({ image: { hits: 0, misses: 1 }, audio: { hits: 0, misses: 1 } });
    await second.cache.flush();

    // Another config (mean, mels): its own entries, never the old ones.
    const changed = { ...input, image: { size: [10, 14] as [number, number], mean: [Math.random()], std: [0.5 + Math.random()] }, audio: { nMels: 10, hopLength: 256 } };
    const third = await open(changed);
    const got = await third.get(sa);
    expect(third.cache.stats()).toEqual({ image: { hits: 0, misses: 1 }, audio: { hits: 0, misses: 1 } });
    const truthChanged = await (await featurizerOf(changed)).f.featurize(sa);
    expect(bytes(got)).toEqual(bytes(truthChanged));
    await third.cache.flush();

    // A damaged entry (a torn write): warned about and recomputed, never served.
    const files = await entries(root);
    for (const file of files) {
      const data = await readFile(file);
      data[Math.floor(Math.random() * (data.length - 8))] ^= 0xff;
      await writeFile(file, data);
    }
    const fourth = await open(input);
    const repaired = bytes(await fourth.get(sa));
    expect([repaired.image, repaired.audio]).toEqual([bytes(truth).image, bytes(truth).audio]);
    expect(warnings.some((w) => w.includes('damaged'))).toBe(true);
    expect(fourth.cache.stats()).toEqual({ image: { hits: 0, misses: 1 }, audio: { hits: 0, misses: 1 } });
  });

  it('keys entries by the featurizing code', () => {
    expect(featureCodeVersion()).toMatch(/^[0-9a-f]{16}$/);
    expect(featureCodeVersion()).toBe(featureCodeVersion());
  });

  it.each([
    ['augmented images', { ...PLAIN, image: { size: [10, 14], augment: [{ kind: 'random-rotation', degrees: 15 }] } }],
    ['no augmentation (features kept per sample after epoch 1)', PLAIN],
  ] as Array<[string, FeaturesConfigInput]>)('lets a batch source started early resume exactly, with the cache cold or warm (%s)', async (_, config) => {
    const root = await mkdtemp(join(tmpdir(), 'omnitrain-fc-'));
    const input: FeaturesConfigInput = { ...config, seed: random() };
    const seed = random();
    // The truth, batch by batch: a fresh featurizer's features of the batch's samples, collated.
    const truth = (await featurizerOf(input)).f;
    const byId = new Map(samples.map((s) => [s.id, s]));
    const read = async (source: ReturnType<typeof multimodalBatchSource>, batches: number): Promise<number[][]> => {
      const out: number[][] = [];
      while (out.length < batches) {
        for await (const b of source.epoch() as AsyncIterable<TrainBatch>) {
          const expected = collateFeatures(await Promise.all(b.ids!.map((id) => truth.featurize(byId.get(id)!, { epoch: b.epoch, training: true }))), truth);
          expect([...(await b.inputs.image!.data())]).toEqual([...(await expected.inputs.image!.data())]);
          expect([...(await b.inputs.audio!.data())]).toEqual([...(await expected.inputs.audio!.data())]);
          tf.dispose([...Object.values(expected.inputs), expected.labels, ...Object.values(expected.presence ?? {})]);
          out.push([...(await b.inputs.image!.data()), ...(await b.inputs.audio!.data()), ...(await b.labels.data())]);
          tf.dispose([...Object.values(b.inputs), b.labels, ...Object.values(b.presence ?? {})]);
          if (out.length >= batches) break;
        }
      }
      return out;
    };
    const { f } = await featurizerOf(input);
    const plain = multimodalBatchSource({ samples, featurizer: f, batchSize: 5, seed });
    const total = 2 * plain.batchesPerEpoch();
    const reference = await read(plain, total);
    for (const round of ['cold', 'warm']) {
      const { config, f: g } = await featurizerOf(input);
      const cache = FeatureDiskCache.open({ dir: root, config, featurizer: g });
      const cut = 1 + Math.floor(Math.random() * (total - 2));
      const first = multimodalBatchSource({ samples, featurizer: g, batchSize: 5, seed, cache, startEarly: true });
      const before = await read(first, cut);
      const state = JSON.parse(JSON.stringify(first.getState()));
      // Started early at the start of epoch 0, then moved to the checkpoint's position.
      const resumed = multimodalBatchSource({ samples, featurizer: g, batchSize: 5, seed: 0, cache, startEarly: true });
      await new Promise((r) => setTimeout(r, 5));
      resumed.setState(state);
      const after = await read(resumed, total - cut);
      expect([...before, ...after], round).toEqual(reference);
      await cache.flush();
    }
  });
});
