import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '@omnitrain/optim';
import { Trainer, modelCheckpoint } from '@omnitrain/engine';
import type { CheckpointInfo, Strategy } from '@omnitrain/engine';
import { createMlp } from '../../test-fixtures/mlp-model.js';
import { blobEvalSource, blobSource, gaussianBlobs } from '../../test-fixtures/blobs.js';
import { inMemoryGroup } from '../../test-fixtures/in-memory-group.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seed = Math.floor(Math.random() * 1e6);

describe(`the Trainer on a Strategy of 2 replicas (seed ${seed})`, () => {
  it('equals one process on the global batch, unequal last shares included; only the chief checkpoints', async () => {
    const means = [[1, 0], [-1, 0], [0, 1]];
    const data = gaussianBlobs(99, means, seed); // last global batch of 16 has 3 samples: shares 2/3 and 1/3
    const val = gaussianBlobs(31, means, seed + 1);
    const dir = await mkdtemp(join(tmpdir(), 'engine-dp-'));
    const make = (strategy: Strategy | undefined, rank: number, worldSize: number, checkpoints: CheckpointInfo[]) => {
      const model = createMlp({ inputs: 2, hidden: [6], classes: 3, seed });
      const optimizer = createOptimizer(model.variables, { name: 'adam', lr: 0.05 });
      const half = { size: val.n, async *batches() {
        const ev = blobEvalSource(val, 7);
        let i = 0;
        for await (const b of ev.batches()) if (i++ % worldSize === rank) yield b; else tf.dispose([b.labels, ...Object.values(b.inputs)]);
      } };
      return new Trainer({
        model, optimizer, strategy, epochs: 2, seed,
        train: blobSource(data, { batchSize: 16, seed, rank, worldSize }),
        validation: half,
        callbacks: strategy ? [modelCheckpoint({ dir }), { name: 'ck', onCheckpoint: (i) => void checkpoints.push(i) }] : [],
      });
    };
    const single = make(undefined, 0, 1, []);
    const h1 = await single.fit();
    const [s0, s1] = inMemoryGroup(2);
    const seen: CheckpointInfo[][] = [[], []];
    const [r0, r1] = [make(s0, 0, 2, seen[0]!), make(s1, 1, 2, seen[1]!)];
    const [h0] = await Promise.all([r0.fit(), r1.fit()]);
    for (const [n, v] of Object.entries(single.model.variables)) {
      const [a, b, c] = [v, r0.model.variables[n]!, r1.model.variables[n]!].map((t) => Array.from(t.dataSync()));
      expect(b).toEqual(c); // replicas stay equal
      a!.forEach((x, i) => expect(b![i]!).toBeCloseTo(x, 4));
    }
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
      h1.metric(key).forEach((x, i) => expect(h0.metric(key)[i]!).toBeCloseTo(x, 4));
    }
    expect(h0.last()['val_accuracy']! * 31).toBeCloseTo(Math.round(h0.last()['val_accuracy']! * 31), 6); // counts over all 31 samples
    expect(seen[0]!.map((c) => c.step)).toEqual([7, 14]);
    expect(seen[1]).toEqual([]);
    expect((await readdir(dir)).filter((f) => f.endsWith('.safetensors'))).toHaveLength(2);
    expect((s0 as Strategy & { barriers: string[] }).barriers).toEqual(['checkpoint-7-begin', 'checkpoint-7-end', 'checkpoint-14-begin', 'checkpoint-14-end']);
    await rm(dir, { recursive: true, force: true });
    [single, r0, r1].forEach((t) => t.model.dispose());
  });
});
