import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, ConfigError, DataError } from '@omnitrain/core';
import { readManifest } from '@omnitrain/data';
import type { Sample } from '@omnitrain/data';
import type { TrainBatch } from '@omnitrain/engine';
import { tsChildArgs } from '@omnitrain/testing';
import { FeaturizerPool, MultimodalFeaturizer, buildDigits, multimodalBatchSource, parseFeaturesConfig } from '@omnitrain/multimodal';
import type { FeaturesConfigInput, SampleFeatures } from '@omnitrain/multimodal';

let dir: string;
let samples: Sample[];
let classes: string[];
const pools: FeaturizerPool[] = [];
const execArgv = tsChildArgs();

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'omnitrain-pool-'));
  const { manifest } = await buildDigits({ outDir: dir, samplesPerClass: 3, seed: Math.floor(Math.random() * 1e6) });
  ({ samples, classes } = await readManifest(manifest));
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

const made = new Map<FeaturesConfigInput, Promise<{ main: MultimodalFeaturizer; pool: FeaturizerPool }>>();

/** A main-thread featurizer and a pool on the same options (one pair per config, shared by the tests). */
function both(input: FeaturesConfigInput, threads: number) {
  if (!made.has(input)) made.set(input, make(input, threads));
  return made.get(input)!;
}

async function make(input: FeaturesConfigInput, threads: number) {
  const options = { config: parseFeaturesConfig({ ...input, seed: Math.floor(Math.random() * 1e6) }), classes, trainSamples: samples };
  const main = await MultimodalFeaturizer.create(options);
  const pool = await FeaturizerPool.create({ featurizer: options, threads, execArgv });
  pools.push(pool);
  return { main, pool };
}

/** The bytes of every field, for a bit-for-bit comparison. */
function bytes(f: SampleFeatures): Record<string, number[] | string | number> {
  const b = (a: ArrayBufferView | undefined) => (a ? [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)] : []);
  return {
    id: f.id,
    label: f.label,
    image: b(f.image),
    audio: b(f.audio),
    ids: b(f.text?.ids),
    mask: b(f.text?.attentionMask),
  };
}

const AUGMENT: FeaturesConfigInput = {
  image: { size: [12, 12], augment: [{ kind: 'random-rotation', degrees: 20 }] },
  audio: { nMels: 8, hopLength: 512, augment: [{ kind: 'time-shift', maxSeconds: 0.2, fill: 'zero' }] },
};
const PLAIN: FeaturesConfigInput = { image: { size: [10, 14] }, audio: { nMels: 12, hopLength: 256 } };

describe('FeaturizerPool', () => {
  it.each([
    ['with augmentation', AUGMENT],
    ['without augmentation', PLAIN],
  ])('gives the main-thread features bit for bit, training and eval, over 2 epochs (%s)', async (_, input) => {
    const { main, pool } = await both(input, 2);
    for (const epoch of [0, 1]) {
      for (const training of [true, false]) {
        const got = await Promise.all(samples.map((s, i) => pool.featurize(s, { epoch, training, route: i })));
        for (const [i, s] of samples.entries()) {
          expect(bytes(got[i]!)).toEqual(bytes(await main.featurize(s, { epoch, training })));
        }
      }
    }
    // Augmentation really changes with the epoch (so the comparison above is not vacuous).
    const withImage = samples.find((s) => s.image)!;
    const [e0, e1] = [await pool.featurize(withImage, { epoch: 0, training: true }), await pool.featurize(withImage, { epoch: 1, training: true })];
    expect(bytes(e0).image).toEqual(bytes(await main.featurize(withImage, { epoch: 0, training: true })).image);
    expect(e0.image!.some((v, i) => v !== e1.image![i])).toBe(input === AUGMENT);
  });

  it('gives the same batches to a batch source with and without the pool', async () => {
    const { main, pool } = await both(AUGMENT, 2);
    const seed = Math.floor(Math.random() * 1e6);
    const read = async (withPool: boolean) => {
      const source = multimodalBatchSource({ samples, featurizer: main, batchSize: 7, seed, pool: withPool ? pool : undefined });
      const out: number[][] = [];
      for (let e = 0; e < 2; e++) {
        for await (const batch of source.epoch() as AsyncIterable<TrainBatch>) {
          for (const t of [batch.inputs.image!, batch.inputs.audio!, batch.labels]) out.push([...(await t.data())]);
          tf.dispose([...Object.values(batch.inputs), batch.labels, ...Object.values(batch.presence ?? {})]);
        }
      }
      return out;
    };
    const [a, b] = [await read(true), await read(false)];
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  });

  it('surfaces a corrupt file as the same DataError naming the file', async () => {
    const { main, pool } = await both(PLAIN, 2);
    const bad = join(dir, `corrupt-${Math.floor(Math.random() * 1e6)}.png`);
    await writeFile(bad, 'not a png at all');
    const sample: Sample = { ...samples.find((s) => s.image)!, id: 'corrupt', image: bad };
    const expected = await main.featurize(sample).then(() => undefined, (e: unknown) => e as DataError);
    expect(expected).toBeInstanceOf(DataError);
    const got = await pool.featurize(sample).then(() => undefined, (e: unknown) => e as DataError);
    expect(got).toBeInstanceOf(DataError);
    expect(got!.message).toBe(expected!.message);
    expect(got!.message).toContain(bad);
    // The thread keeps serving after an error.
    expect(bytes(await pool.featurize(samples[0]!))).toEqual(bytes(await main.featurize(samples[0]!)));
  });

  it('refuses a pretrained modality and a bad thread count', async () => {
    const trainSamples = samples;
    await expect(
      FeaturizerPool.create({ featurizer: { config: parseFeaturesConfig({}), classes, trainSamples }, threads: 0, execArgv }),
    ).rejects.toThrow(/threads >= 1/);
    const config = parseFeaturesConfig({ text: { pretrained: { type: 'use-lite' } } });
    await expect(FeaturizerPool.create({ featurizer: { config, classes, trainSamples }, threads: 1, execArgv })).rejects.toThrow(ConfigError);
  });

  it('rejects pending and later requests once closed', async () => {
    const { pool } = await make(PLAIN, 1);
    const pending = expect(pool.featurize(samples[1]!)).rejects.toThrow(/closed/);
    await pool.close();
    await pending;
    await expect(pool.featurize(samples[1]!)).rejects.toThrow(/closed/);
  });

  it('fails fast, naming the files, when a thread dies mid-request: no hang, and a batch source fails too', async () => {
    const victim = samples.filter((s) => s.image && s.audio)[Math.floor(Math.random() * 3)]!;
    process.env['OMNITRAIN_TEST_CRASH_ON'] = victim.id;
    const options = { config: parseFeaturesConfig({ ...PLAIN, seed: Math.floor(Math.random() * 1e6) }), classes, trainSamples: samples };
    const entry = new URL('./test-fixtures/crash-featurize-worker.ts', import.meta.url);
    const pool = await FeaturizerPool.create({ featurizer: options, threads: 1, execArgv, entry });
    pools.push(pool);
    const main = await MultimodalFeaturizer.create(options);
    const other = samples.find((s) => s !== victim)!;
    expect(bytes(await pool.featurize(other, { route: 0 }))).toEqual(bytes(await main.featurize(other)));
    const started = Date.now();
    const error = await pool.featurize(victim, { route: 0 }).then(() => undefined, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(BackendError);
    expect(error!.message).toContain('exit code 7');
    expect(error!.message).toContain(victim.image!);
    expect(error!.message).toContain(victim.audio!);
    // Later requests to the dead thread fail at once.
    await expect(pool.featurize(other, { route: 0 })).rejects.toThrow(/exit code 7/);
    // A batch source on the dead pool ends its epoch with the error (mapAhead names the batch).
    const source = multimodalBatchSource({ samples, featurizer: main, batchSize: 4, seed: 1, pool });
    const run = async () => {
      for await (const b of source.epoch()) tf.dispose([...Object.values(b.inputs), b.labels, ...Object.values(b.presence ?? {})]);
    };
    await expect(run()).rejects.toThrow(/exit code 7/);
    expect(Date.now() - started).toBeLessThan(10_000);
    delete process.env['OMNITRAIN_TEST_CRASH_ON'];
  });

  it('does not keep the process alive: a child that never closes its pool exits', async () => {
    const child = fileURLToPath(new URL('./test-fixtures/pool-exit-child.ts', import.meta.url));
    const proc = spawn(process.execPath, tsChildArgs(child, join(dir, 'manifest.jsonl')), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        resolve('hung');
      }, 30_000);
      proc.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c ?? -1);
      });
    });
    expect(code, out).toBe(0);
    expect(out).toMatch(/^featurized \d+ samples/m);
  }, 40_000);
});
