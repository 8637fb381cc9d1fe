import { createHash } from 'node:crypto';
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
import { REPO_ROOT, runOmnitrain } from '../../test-fixtures/run-omnitrain.js';

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

// The tiny wav2vec2-like transformers.js folder of @omnitrain/encoders' fixtures (16 kHz, 16-d; its
// network is checked against a plain-loop oracle there): the 8 kHz digits clips are resampled to it.
const AUDIO_MODEL = join(REPO_ROOT, 'libs', 'encoders', 'test-fixtures', 'tiny-wav2vec2');

const AUDIO_RUN = `name: pretrained-audio
runtime: { seed: 1, backend: wasm }
data: { manifest: data/digits/manifest.jsonl, batchSize: 16 }
features:
  image: { size: [14, 14] }
  audio:
    pretrained: { type: transformers, modality: audio, path: ${AUDIO_MODEL}, durationSec: 1 }
model:
  modalities: [image, audio]
  numClasses: 10
  encoders:
    image: { name: cnn, filters: [4] }
    audio: { name: vector, units: [16] }
  fusion: { name: gated, hiddenDim: 32 }
optim: { optimizer: { name: adam, lr: 0.01 } }
train: { epochs: 3, batchSize: 16 }
telemetry: { runsDir: runs-audio, samples: 0 }
`;

/** The line buildTask prints: distinct inputs, how many the extractor computed, how many the cache served. */
const featuresLine = (stderr: string, modality: 'text' | 'audio' = 'text') => {
  const m = new RegExp(`pretrained features: ${modality} (\\d+) inputs \\((\\d+) computed, (\\d+) from the cache\\)`).exec(stderr);
  expect(m, stderr).not.toBeNull();
  return { inputs: Number(m![1]), computed: Number(m![2]), cached: Number(m![3]) };
};

/** The one extractor cache file of a runs folder (next to it: the decoded-feature cache folders of the trainable modalities). */
const extractorCacheFile = async (runsDir: string): Promise<string> => {
  const cacheDir = join(runsDir, '.features');
  const files = (await readdir(cacheDir)).filter((f) => /^[0-9a-f]{32}\.safetensors$/.test(f));
  expect(files).toHaveLength(1);
  return join(cacheDir, files[0]!);
};

type Summary = { last: { loss: number; accuracy: number }; test: { accuracy: number; count: number } };
/** The first logged training loss and the run's summary. */
const trainResult = async (runDir: string): Promise<{ firstLoss: number; summary: Summary }> => {
  type Event = { kind: string; name?: string; split?: string; value?: number };
  const events = (await readFile(join(runDir, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Event);
  const firstLoss = events.find((e) => e.kind === 'metric' && e.name === 'loss' && e.split === 'train')!.value!;
  return { firstLoss, summary: JSON.parse(await readFile(join(runDir, 'summary.json'), 'utf8')) as Summary };
};

/** `omnitrain eval <run> --split test`: exits ok with the run's own test accuracy; returns its stderr. */
const evalMatches = async (run: string, summary: Summary): Promise<string> => {
  const evaluated = await runOmnitrain(['eval', run, '--split', 'test'], { cwd: dir, timeoutMs: 60_000 });
  expect(evaluated.code, evaluated.stderr).toBe(EXIT_CODES.ok);
  const row = new RegExp(`^test\\s+${summary.test.count}\\s+[\\d.]+\\s+([\\d.]+)`, 'm').exec(evaluated.stdout);
  expect(Number(row?.[1])).toBeCloseTo(summary.test.accuracy, 4);
  return evaluated.stderr;
};

/** Each edited run file fails loadConfig with a ConfigError matching its pattern. */
const expectConfigErrors = async (cases: Array<[string, string, RegExp]>) => {
  for (const [name, yaml, pattern] of cases) {
    const file = join(dir, `bad-${name}.yaml`);
    await writeFile(file, yaml);
    const error = await loadConfig(file, runConfigSchema).then(() => undefined, (e: unknown) => e);
    expect(error, name).toBeInstanceOf(ConfigError);
    expect((error as Error).message, name).toMatch(pattern);
  }
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
    const file = await extractorCacheFile(join(dir, 'runs'));
    const cache = await readSafetensors(file);
    expect(cache.tensors['features']!.shape).toEqual([distinct, 512]);
    const stamp = (await stat(file)).mtimeMs;

    // It learned: the training loss falls and the last epoch is well above chance (0.1).
    const { firstLoss, summary } = await trainResult(join(dir, 'runs', 'a'));
    console.log(`${distinct} distinct texts; train loss ${firstLoss.toFixed(3)} -> ${summary.last.loss.toFixed(3)}, last-epoch accuracy ${summary.last.accuracy}`);
    expect(summary.last.loss).toBeLessThan(firstLoss - 0.2);
    expect(summary.last.accuracy).toBeGreaterThan(0.25);

    // A second run's task (built in this process) computes nothing: every text from the cache, the file untouched.
    const lines: string[] = [];
    const config = await loadConfig(join(dir, 'run.yaml'), runConfigSchema);
    const task = await buildTask({ ...config, data: { ...config.data, manifest }, telemetry: { ...config.telemetry, runsDir: join(dir, 'runs') } }, { rank: 0, worldSize: 1, onInfo: (l) => lines.push(l) });
    expect(featuresLine(lines.join('\n'))).toEqual({ inputs: distinct, computed: 0, cached: distinct });
    expect(task.featurizer.extractorStats()).toEqual({ text: { hits: distinct, misses: 0 } });
    expect((await stat(file)).mtimeMs).toBe(stamp);
    task.featurizer.dispose();
    task.model.dispose();

    // eval re-creates the extractor from config.json (no weights of it in the checkpoint): the same test accuracy.
    expect(featuresLine(await evalMatches('runs/a', summary))).toEqual({ inputs: distinct, computed: 0, cached: distinct });
  }, 90_000);

  it('a bad pretrained config is a ConfigError naming the field; a missing model folder fails the task naming the folder', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['type', RUN.replace('type: use-lite', 'type: use-light'), /features\.text\.pretrained\.type.*"use-lite"/s],
      ['augment', RUN.replace('image: { size: [14, 14] }', 'image: { pretrained: { type: mobilenet-v2 }, augment: [{ kind: random-rotation, degrees: 10 }] }'), /bad-augment\.yaml:5:\d+ features\.image\.augment: expected no augmentation/],
      ['maxLength', RUN.replace('  text:\n    pretrained:', '  text:\n    maxLength: 16\n    pretrained:'), /features\.text\.maxLength: expected maxLength to be left out with text\.pretrained/],
      ['encoder', RUN.replace('text: { name: vector, units: [32] }', 'text: { name: bag-of-embeddings }'), /model\.encoders\.text\.name: expected "vector" with features\.text\.pretrained set/],
    ];
    await expectConfigErrors(cases);
    // A missing model folder is found when the extractor loads (buildTask, as train / eval / predict do): named.
    const missing = join(dir, 'models', 'not-there');
    await writeFile(join(dir, 'missing.yaml'), RUN.replace('type: use-lite', `type: transformers, path: ${missing}`));
    const config = await loadConfig(join(dir, 'missing.yaml'), runConfigSchema);
    const built = buildTask({ ...config, data: { ...config.data, manifest } }, { rank: 0, worldSize: 1 });
    await expect(built).rejects.toThrow(ConfigError);
    await expect(built).rejects.toThrow(`folder ${missing}`);
  }, 60_000);
});

describe(`omnitrain train with pretrained, frozen audio features (a transformers.js wav2vec2-like folder) next to a trainable image encoder (seed ${seed})`, () => {
  it('trains, caches one vector per distinct clip, and evaluates the checkpoint reading every clip from the cache', async () => {
    await writeFile(join(dir, 'audio.yaml'), AUDIO_RUN);
    const rows = (await readFile(manifest, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { audio?: string });
    const paths = [...new Set(rows.flatMap((r) => (r.audio ? [join(dir, 'data', 'digits', r.audio)] : [])))];
    const contents = new Set(await Promise.all(paths.map(async (p) => createHash('sha256').update(await readFile(p)).digest('hex'))));

    const train = await runOmnitrain(['train', 'audio.yaml', '--run-id', 'a'], { cwd: dir, timeoutMs: 80_000 });
    expect(train.code, train.stderr).toBe(EXIT_CODES.ok);
    expect(featuresLine(train.stderr, 'audio')).toEqual({ inputs: paths.length, computed: paths.length, cached: 0 });
    // The cache: one file for the extractor, one row of 16 floats per distinct clip (by content), keyed on the resampling.
    const file = await extractorCacheFile(join(dir, 'runs-audio'));
    const cache = await readSafetensors(file);
    expect(cache.tensors['features']!.shape).toEqual([contents.size, 16]);
    expect(cache.metadata['cacheKey']).toMatch(/:audio:mean:.*:rate=16000:duration=1:loader=wav:mono-mean:sinc-hann-6-0\.99$/);
    const stamp = (await stat(file)).mtimeMs;

    // It learned: the training loss falls.
    const { firstLoss, summary } = await trainResult(join(dir, 'runs-audio', 'a'));
    console.log(`${paths.length} clips (${contents.size} distinct); train loss ${firstLoss.toFixed(3)} -> ${summary.last.loss.toFixed(3)}`);
    expect(summary.last.loss).toBeLessThan(firstLoss - 0.1);

    // eval re-creates the extractor from config.json: every clip from the cache, nothing computed, the same test accuracy.
    expect(featuresLine(await evalMatches('runs-audio/a', summary), 'audio')).toEqual({ inputs: paths.length, computed: 0, cached: paths.length });
    expect((await stat(file)).mtimeMs).toBe(stamp);
  }, 90_000);

  it('a bad audio pretrained config is a ConfigError naming the field', async () => {
    await expectConfigErrors([
      ['audio-encoder', AUDIO_RUN.replace('audio: { name: vector, units: [16] }', 'audio: { name: audio-conv1d }'), /model\.encoders\.audio\.name: expected "vector" with features\.audio\.pretrained set/],
      ['audio-augment', AUDIO_RUN.replace('  audio:\n', '  audio:\n    augment: [{ kind: gain, minDb: -3, maxDb: 3 }]\n'), /features\.audio\.augment: expected no augmentation with audio\.pretrained/],
      ['audio-modality', AUDIO_RUN.replace('modality: audio, ', ''), /features\.audio\.pretrained\.type: expected an extractor that reads audio/],
      ['audio-nMels', AUDIO_RUN.replace('  audio:\n', '  audio:\n    nMels: 40\n'), /features\.audio\.nMels: expected nMels to be left out with audio\.pretrained/],
    ]);
  });
});
