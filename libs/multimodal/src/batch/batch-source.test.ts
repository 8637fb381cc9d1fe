import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '@omnitrain/data';
import type { Sample } from '@omnitrain/data';
import type { Batch, TrainBatch } from '@omnitrain/engine';
import {
  MultimodalFeaturizer,
  buildDigits,
  multimodalBatchSource,
  multimodalEvalSource,
  parseFeaturesConfig,
} from '@omnitrain/multimodal';

let samples: Sample[];
let featurizer: MultimodalFeaturizer;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const dir = await mkdtemp(join(tmpdir(), 'omnitrain-batches-'));
  const { manifest } = await buildDigits({ outDir: dir, samplesPerClass: 6, seed: Math.floor(Math.random() * 1e6) });
  const ds = await readManifest(manifest);
  samples = ds.samples;
  featurizer = await MultimodalFeaturizer.create({
    config: parseFeaturesConfig({
      image: { size: [12, 12], augment: [{ kind: 'random-rotation', degrees: 15 }] },
      audio: { nMels: 8, hopLength: 512 },
      seed: Math.floor(Math.random() * 1e6),
    }),
    classes: ds.classes,
    trainSamples: samples,
  });
});

interface Seen {
  ids: string[];
  image: Float32Array;
  presence: Record<string, number[]>;
  weight: number;
  epoch: number;
}

async function read(batch: Batch | TrainBatch): Promise<Seen> {
  const out: Seen = {
    ids: [...batch.ids!],
    image: (await batch.inputs.image!.data()) as Float32Array,
    presence: {},
    weight: 'weight' in batch ? batch.weight : 1,
    epoch: 'epoch' in batch ? batch.epoch : -1,
  };
  for (const [m, p] of Object.entries(batch.presence ?? {})) out.presence[m] = [...(await p.data())];
  tf.dispose([...Object.values(batch.inputs), batch.labels, ...Object.values(batch.presence ?? {})]);
  return out;
}

async function take(iterable: AsyncIterable<Batch | TrainBatch>, n = Infinity): Promise<Seen[]> {
  const out: Seen[] = [];
  if (n === 0) return out;
  for await (const b of iterable) {
    out.push(await read(b));
    if (out.length >= n) break;
  }
  return out;
}

describe('multimodalBatchSource', () => {
  it('collates named inputs with presence masks and zeros for missing modalities', async () => {
    const source = multimodalBatchSource({ samples, featurizer, batchSize: 16, seed: 1 });
    for await (const b of source.epoch()) {
      const frames = featurizer.inputShapes().audio![0]!;
      expect(b.inputs.image!.shape).toEqual([b.size, 12, 12, 1]);
      expect(b.inputs.audio!.shape).toEqual([b.size, frames, 8, 1]);
      expect(b.inputs['text.ids']!.shape).toEqual([b.size, 8]);
      expect(b.inputs['text.ids']!.dtype).toBe('int32');
      expect(b.inputs['text.attentionMask']!.dtype).toBe('int32');
      expect(b.labels.dtype).toBe('int32');
      const byId = new Map(samples.map((s) => [s.id, s]));
      const audio = (await b.inputs.audio!.array()) as number[][][][];
      const presence = await b.presence!.audio!.data();
      b.ids!.forEach((id, i) => {
        const has = byId.get(id)!.audio !== undefined;
        expect(presence[i]).toBe(has ? 1 : 0);
        const energy = audio[i]!.flat(2).reduce((a, v) => a + Math.abs(v), 0);
        expect(energy > 0).toBe(has);
      });
      expect([...(await b.labels.data())]).toEqual(b.ids!.map((id) => Number(byId.get(id)!.labels[0])));
      tf.dispose([...Object.values(b.inputs), b.labels, ...Object.values(b.presence ?? {})]);
      break;
    }
  });

  it('resumes exactly: after a checkpointed state, the same samples with the same augmentation', async () => {
    const seed = Math.floor(Math.random() * 1e6);
    const reference = multimodalBatchSource({ samples, featurizer, batchSize: 7, seed });
    const all = [...(await take(reference.epoch())), ...(await take(reference.epoch()))];
    expect(reference.batchesPerEpoch()).toBe(Math.ceil(samples.length / 7));
    expect(all).toHaveLength(2 * reference.batchesPerEpoch());
    expect(all[0]!.epoch).toBe(0);
    expect(all.at(-1)!.epoch).toBe(1);

    const cut = 1 + Math.floor(Math.random() * (reference.batchesPerEpoch() + 2));
    const first = multimodalBatchSource({ samples, featurizer, batchSize: 7, seed, prefetch: { depth: 3 } });
    const before = await take(first.epoch(), Math.min(cut, first.batchesPerEpoch()));
    if (cut > first.batchesPerEpoch()) before.push(...(await take(first.epoch(), cut - first.batchesPerEpoch())));
    const saved = JSON.parse(JSON.stringify(first.getState()));
    const resumed = multimodalBatchSource({ samples, featurizer, batchSize: 7, seed: 0 });
    resumed.setState(saved);
    const after: Seen[] = [];
    while (before.length + after.length < all.length) after.push(...(await take(resumed.epoch())));
    expect([...before, ...after]).toEqual(all);
  });

  it('gives 2 ranks disjoint shards of each global batch that together make the 1-rank batch', async () => {
    const seed = Math.floor(Math.random() * 1e6);
    const single = await take(multimodalBatchSource({ samples, featurizer, batchSize: 9, seed }).epoch());
    const ranks = await Promise.all(
      [0, 1].map((rank) => take(multimodalBatchSource({ samples, featurizer, batchSize: 9, seed, rank, worldSize: 2 }).epoch())),
    );
    expect(ranks[0]).toHaveLength(single.length);
    expect(ranks[1]).toHaveLength(single.length);
    single.forEach((batch, i) => {
      const [a, b] = [ranks[0]![i]!, ranks[1]![i]!];
      expect(a.ids.filter((id) => b.ids.includes(id))).toEqual([]);
      expect([...a.ids, ...b.ids]).toEqual(batch.ids);
      expect(a.weight + b.weight).toBeCloseTo(1, 12);
      expect(Float32Array.from([...a.image, ...b.image])).toEqual(batch.image);
    });
  });
});

describe('multimodalBatchSource.reshard (elastic training)', () => {
  it('after 2 batches on 3 ranks, 2 resharded ranks continue with shards of the same global batches (weights sum to 1)', async () => {
    const seed = Math.floor(Math.random() * 1e6);
    const single = await take(multimodalBatchSource({ samples, featurizer, batchSize: 9, seed }).epoch());
    const three = [0, 1, 2].map((rank) => multimodalBatchSource({ samples, featurizer, batchSize: 9, seed, rank, worldSize: 3, startEarly: true }));
    const first = await Promise.all(three.map((s) => take(s.epoch(), 2)));
    [0, 1].forEach((i) => expect(first.flatMap((r) => r[i]!.ids).sort()).toEqual([...single[i]!.ids].sort()));
    // Rank 1 died: ranks 0 and 2 become 0 and 1 of 2, from the position after batch 2.
    const survivors = [three[0]!, three[2]!];
    survivors.forEach((s, rank) => {
      s.setState(three[0]!.getState());
      s.reshard!(rank, 2);
    });
    const rest = await Promise.all(survivors.map((s) => take(s.epoch())));
    expect(rest[0]).toHaveLength(single.length - 2);
    single.slice(2).forEach((batch, i) => {
      const [a, b] = [rest[0]![i]!, rest[1]![i]!];
      expect([...a.ids, ...b.ids]).toEqual(batch.ids);
      expect(a.weight + b.weight).toBeCloseTo(1, 12);
    });
    expect(() => survivors[0]!.reshard!(2, 2)).toThrow(/rank/);
  });
});

describe('multimodalEvalSource.reshard', () => {
  it('yields the new rank shard: together every sample once', async () => {
    const sources = [0, 1, 2].map((rank) => multimodalEvalSource({ samples, featurizer, batchSize: 5, rank, worldSize: 3 }));
    sources.forEach((s, rank) => s.reshard!(rank === 2 ? 1 : rank, 2));
    const ids = (await Promise.all([sources[0]!, sources[2]!].map((s) => take(s.batches())))).flatMap((batches) => batches.flatMap((b) => b.ids));
    expect(ids).toEqual(samples.map((s) => s.id));
  });
});

describe('multimodalBatchSource, batches made ahead', () => {
  it('leaves no tensors behind: an epoch stopped early, a started-early pipeline dropped by setState', async () => {
    const settle = () => new Promise((r) => setTimeout(r, 20));
    await settle();
    const before = tf.memory().numTensors;
    const seed = Math.floor(Math.random() * 1e6);
    const source = multimodalBatchSource({ samples, featurizer, batchSize: 3, seed, startEarly: true, prefetch: { depth: 3 } });
    await settle(); // the first batches are made, not handed out
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    const other = multimodalBatchSource({ samples, featurizer, batchSize: 3, seed });
    const taken = await take(other.epoch(), 2);
    expect(taken).toHaveLength(2);
    source.setState(other.getState()); // drops the pipeline started at position 0, starts one at 2
    const [third] = await take(source.epoch(), 1); // stops early with batches made ahead
    const [expected] = await take(other.epoch(), 1);
    expect(third).toEqual(expected);
    await settle();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('multimodalEvalSource', () => {
  it('gives each rank a disjoint shard, every sample once, without augmentation', async () => {
    const world = 2 + Math.floor(Math.random() * 2);
    const shards = await Promise.all(
      Array.from({ length: world }, (_, rank) =>
        take(multimodalEvalSource({ samples, featurizer, batchSize: 5, rank, worldSize: world }).batches()),
      ),
    );
    const ids = shards.flatMap((batches) => batches.flatMap((b) => b.ids));
    expect(ids).toEqual(samples.map((s) => s.id));
    const again = await take(multimodalEvalSource({ samples, featurizer, batchSize: 64 }).batches());
    const plain = await Promise.all(samples.map((s) => featurizer.featurize(s)));
    const image = new Float32Array(samples.length * 144);
    plain.forEach((x, i) => x.image && image.set(x.image, i * 144));
    expect(again[0]!.image).toEqual(image);
    expect(multimodalEvalSource({ samples, featurizer, batchSize: 5 }).size).toBe(samples.length);
  });
});
