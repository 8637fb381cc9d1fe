import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES, buildTask, runConfigSchema } from '@omnitrain/cli';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ConfigError, loadConfig, readSafetensors } from '@omnitrain/core';
import { buildDigits } from '@omnitrain/multimodal';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';

const RUN = `name: pretrained
runtime: { seed: 1, backend: wasm }
data: { manifest: data/digits/manifest.jsonl, batchSize: 16 }
features:
  image: { size: [14, 14] }
  audio: { nMels: 16, hopLength: 256 }
  text:
    pretrained: { type: use-lite }   # frozen, 512-d, cached in runs/.features
model:
  modalities: [image, audio, text]
  numClasses: 10
  encoders:
    image: { name: cnn, filters: [4] }
    audio: { name: audio-conv1d, filters: [8] }
    text: { name: vector, units: [32] }
  fusion: { name: gated, hiddenDim: 32 }
optim: { optimizer: { name: adam, lr: 0.01 } }
train: { epochs: 3, batchSize: 16 }
telemetry: { runsDir: runs, samples: 0 }
`;

/** The line buildTask prints: distinct inputs, how many the extractor computed, how many the cache served. */
const featuresLine = (stderr: string) => {
  const m = /pretrained features: text (\d+) inputs \((\d+) computed, (\d+) from the cache\)/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return { inputs: Number(m![1]), computed: Number(m![2]), cached: Number(m![3]) };
};

const seed = Math.floor(Math.random() * 1e6);
let dir: string;
let manifest: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'omnitrain-pretrained-run-'));
  ({ manifest } = await buildDigits({ outDir: join(dir, 'data', 'digits'), samplesPerClass: 8, seed }));
  await writeFile(join(dir, 'run.yaml'), RUN);
});

describe(`omnitrain train with pretrained, frozen text features (USE lite) next to trainable image and audio encoders (seed ${seed})`, () => {
  it('trains, caches one vector per distinct text, recomputes nothing in a second run, and evaluates the checkpoint with the extractor re-created from config', async () => {
    const rows = (await readFile(manifest, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; text?: string; label: string });
    const distinct = new Set(rows.flatMap((r) => (r.text?.trim() ? [r.text] : []))).size;

    const first = await runOmnitrain(['train', 'run.yaml', '--run-id', 'a'], { cwd: dir, timeoutMs: 90_000 });
    expect(first.code, first.stderr).toBe(EXIT_CODES.ok);
    expect(featuresLine(first.stderr)).toEqual({ inputs: distinct, computed: distinct, cached: 0 });
    // The cache: one file for the extractor, one row of 512 floats per distinct text.
    const cacheDir = join(dir, 'runs', '.features');
    const [file, ...others] = await readdir(cacheDir);
    expect(others).toEqual([]);
    const cache = await readSafetensors(join(cacheDir, file!));
    expect(cache.tensors['features']!.shape).toEqual([distinct, 512]);
    const stamp = (await stat(join(cacheDir, file!))).mtimeMs;

    // It learned: the training loss falls and the last epoch is well above chance (0.1).
    type Event = { kind: string; name?: string; split?: string; value?: number };
    const events = (await readFile(join(dir, 'runs', 'a', 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Event);
    const losses = events.filter((e) => e.kind === 'metric' && e.name === 'loss' && e.split === 'train').map((e) => e.value!);
    const summary = JSON.parse(await readFile(join(dir, 'runs', 'a', 'summary.json'), 'utf8')) as { last: { loss: number; accuracy: number }; test: { accuracy: number; count: number } };
    console.log(`${distinct} distinct texts; train loss ${losses[0]!.toFixed(3)} -> ${summary.last.loss.toFixed(3)}, last-epoch accuracy ${summary.last.accuracy}`);
    expect(summary.last.loss).toBeLessThan(losses[0]! - 0.2);
    expect(summary.last.accuracy).toBeGreaterThan(0.25);

    // A second run's task (built in this process) computes nothing: every text from the cache, the file untouched.
    const lines: string[] = [];
    const config = await loadConfig(join(dir, 'run.yaml'), runConfigSchema);
    const task = await buildTask({ ...config, data: { ...config.data, manifest }, telemetry: { ...config.telemetry, runsDir: join(dir, 'runs') } }, { rank: 0, worldSize: 1, onInfo: (l) => lines.push(l) });
    expect(featuresLine(lines.join('\n'))).toEqual({ inputs: distinct, computed: 0, cached: distinct });
    expect(task.featurizer.extractorStats()).toEqual({ text: { hits: distinct, misses: 0 } });
    expect((await stat(join(cacheDir, file!))).mtimeMs).toBe(stamp);
    task.featurizer.dispose();
    task.model.dispose();

    // eval re-creates the extractor from config.json (no weights of it in the checkpoint): the same test accuracy.
    const evaluated = await runOmnitrain(['eval', 'runs/a', '--split', 'test'], { cwd: dir });
    expect(evaluated.code, evaluated.stderr).toBe(EXIT_CODES.ok);
    const row = new RegExp(`^test\\s+${summary.test.count}\\s+[\\d.]+\\s+([\\d.]+)`, 'm').exec(evaluated.stdout);
    expect(Number(row?.[1])).toBeCloseTo(summary.test.accuracy, 4);
    expect(featuresLine(evaluated.stderr)).toEqual({ inputs: distinct, computed: 0, cached: distinct });
  }, 90_000);

  it('a bad pretrained config is a ConfigError naming the field; a missing model folder fails the task naming the folder', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['type', RUN.replace('type: use-lite', 'type: use-light'), /features\.text\.pretrained\.type.*"use-lite"/s],
      ['augment', RUN.replace('image: { size: [14, 14] }', 'image: { pretrained: { type: mobilenet-v2 }, augment: [{ kind: random-rotation, degrees: 10 }] }'), /bad-augment\.yaml:5:\d+ features\.image\.augment: expected no augmentation/],
      ['maxLength', RUN.replace('  text:\n    pretrained:', '  text:\n    maxLength: 16\n    pretrained:'), /features\.text\.maxLength: expected maxLength to be left out with text\.pretrained/],
      ['encoder', RUN.replace('text: { name: vector, units: [32] }', 'text: { name: bag-of-embeddings }'), /model\.encoders\.text\.name: expected "vector" with features\.text\.pretrained set/],
    ];
    for (const [name, yaml, pattern] of cases) {
      const file = join(dir, `bad-${name}.yaml`);
      await writeFile(file, yaml);
      const error = await loadConfig(file, runConfigSchema).then(() => undefined, (e: unknown) => e);
      expect(error, name).toBeInstanceOf(ConfigError);
      expect((error as Error).message, name).toMatch(pattern);
    }
    // A missing model folder is found when the extractor loads (buildTask, as train / eval / predict do): named.
    const missing = join(dir, 'models', 'not-there');
    await writeFile(join(dir, 'missing.yaml'), RUN.replace('type: use-lite', `type: transformers, path: ${missing}`));
    const config = await loadConfig(join(dir, 'missing.yaml'), runConfigSchema);
    const built = buildTask({ ...config, data: { ...config.data, manifest } }, { rank: 0, worldSize: 1 });
    await expect(built).rejects.toThrow(ConfigError);
    await expect(built).rejects.toThrow(`folder ${missing}`);
  }, 60_000);
});
