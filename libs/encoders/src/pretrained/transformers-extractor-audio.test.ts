import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import { cachedExtractor, createFeatureExtractor, pretrainedExtractorConfigSchema, transformersExtractor } from '@omnitrain/encoders';
import type { AudioLoader } from '@omnitrain/encoders';
import { COMMITTED_SEED, TINY_WAV2VEC2, tinyWav2vec2Forward, writeTinyWav2vec2 } from '../../test-fixtures/write-tiny-wav2vec2.js';
import type { TinyWav2vec2 } from '../../test-fixtures/write-tiny-wav2vec2.js';

const seed = Math.floor(Math.random() * 2 ** 31);
let s = seed || 1;
const uniform = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
const realFetch = globalThis.fetch;
const RATE = TINY_WAV2VEC2.samplingRate;
let root: string;
let model: TinyWav2vec2;
let clips: { file: string; pcm: Float32Array }[];

/** Clips stored as raw little-endian float32 at the model's rate: the loader only cuts or pads them. */
const rawLoader = (calls: Array<{ path: string; sampleRate: number; durationSec?: number }> = []): AudioLoader => ({
  id: 'raw-f32',
  async load(path, { sampleRate, durationSec }) {
    calls.push({ path, sampleRate, durationSec });
    const bytes = await readFile(path);
    const pcm = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (durationSec === undefined) return pcm;
    const out = new Float32Array(Math.round(durationSec * sampleRate));
    out.set(pcm.subarray(0, out.length));
    return out;
  },
});

/** Wav2Vec2FeatureExtractor's do_normalize: (x - mean) / sqrt(var + 1e-7), population variance. */
function zeroMeanUnitVar(x: Float32Array): Float32Array {
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
  return Float32Array.from(x, (v) => (v - mean) / Math.sqrt(variance + 1e-7));
}

/** The oracle: the tiny network in plain loops, mean over frames. */
function expected(m: TinyWav2vec2, pcm: Float32Array): Float64Array {
  const { frames, hidden } = tinyWav2vec2Forward(m, m.doNormalize ? zeroMeanUnitVar(pcm) : pcm);
  const dim = TINY_WAV2VEC2.dim;
  const mean = new Float64Array(dim);
  for (let f = 0; f < frames; f++) for (let d = 0; d < dim; d++) mean[d]! += hidden[f * dim + d]! / frames;
  return mean;
}

const expectClose = (got: Float32Array, want: Float64Array) => {
  expect(got.length).toBe(want.length);
  got.forEach((v, d) => expect(Math.abs(v - want[d]!), `dim ${d}: ${v} vs ${want[d]}`).toBeLessThanOrEqual(1e-4 * Math.abs(want[d]!) + 1e-6));
};

beforeAll(async () => {
  // Nothing may be downloaded: any fetch fails the test.
  globalThis.fetch = vi.fn(async (url: unknown) => {
    throw new Error(`network access attempted: ${String(url)}`);
  }) as typeof fetch;
  root = await mkdtemp(join(tmpdir(), 'omnitrain-audio-extractor-'));
  model = await writeTinyWav2vec2(root, 'tiny-wav2vec2', seed);
  // Fresh clips: random lengths (0.2-0.7 s), a random gain and DC offset, so normalization matters.
  clips = await Promise.all(
    [0, 1, 2].map(async (i) => {
      const gain = 0.05 + Math.abs(uniform());
      const offset = 0.3 * uniform();
      const pcm = Float32Array.from({ length: Math.round(RATE * (0.2 + 0.5 * Math.abs(uniform()))) }, (_, t) => offset + gain * (Math.sin(t * (0.01 + 0.05 * Math.abs(uniform()))) + 0.3 * uniform()));
      const file = join(root, `clip-${i}.f32`);
      await writeFile(file, new Uint8Array(pcm.buffer));
      return { file, pcm };
    }),
  );
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await rm(root, { recursive: true, force: true });
});

describe(`transformersExtractor, audio (seed ${seed})`, () => {
  it('mean-pools last_hidden_state of a wav2vec2-like model exactly as the plain-loop oracle, after the processor\'s normalization', async () => {
    const calls: Array<{ path: string; sampleRate: number; durationSec?: number }> = [];
    const e = await transformersExtractor({ path: model.folder, modality: 'audio', audioLoader: rawLoader(calls) });
    expect(e.modality).toBe('audio');
    expect(e.outputDim).toBe(TINY_WAV2VEC2.dim); // known before the first extract
    expect(e.cacheKey).toMatch(/:audio:mean:false:false:rate=16000:duration=whole:loader=raw-f32$/);
    const got = await e.extract(clips.map((c) => c.file));
    expect(calls).toEqual(clips.map((c) => ({ path: c.file, sampleRate: RATE, durationSec: undefined })));
    clips.forEach((c, i) => expectClose(got[i]!, expected(model, c.pcm)));
    e.dispose();
  });

  it('honours do_normalize: false (raw samples into the model), normalize: true (unit vectors) and durationSec (cut or zero-padded at the end)', async () => {
    const plain = await writeTinyWav2vec2(root, 'tiny-wav2vec2-raw', seed, false);
    const e = await transformersExtractor({ path: plain.folder, modality: 'audio', audioLoader: rawLoader() });
    const [a] = await e.extract([clips[0]!.file]);
    expectClose(a!, expected(plain, clips[0]!.pcm));
    const normalized = expected(model, clips[0]!.pcm);
    expect(Math.max(...Array.from(a!, (v, d) => Math.abs(v - normalized[d]!)))).toBeGreaterThan(1e-3);

    const durationSec = 0.25 + 0.5 * Math.abs(uniform());
    const fitted = await transformersExtractor({ path: model.folder, modality: 'audio', audioLoader: rawLoader(), durationSec, normalize: true });
    expect(fitted.cacheKey).toContain(`duration=${durationSec}`);
    const got = await fitted.extract(clips.map((c) => c.file));
    clips.forEach((c, i) => {
      const fit = new Float32Array(Math.round(durationSec * RATE));
      fit.set(c.pcm.subarray(0, fit.length));
      const want = expected(model, fit);
      const norm = Math.hypot(...want);
      expectClose(got[i]!, want.map((v) => v / norm));
    });
    [e, fitted].forEach((x) => x.dispose());
  });

  it('caches audio features by the file\'s bytes: a second run computes nothing', async () => {
    const dir = join(root, 'cache');
    const inner = await transformersExtractor({ path: model.folder, modality: 'audio', audioLoader: rawLoader() });
    const spy = vi.spyOn(inner, 'extract');
    const first = cachedExtractor(inner, { dir });
    const a = await first.extract([...clips.map((c) => c.file), clips[1]!.file]);
    expect(first.stats()).toEqual({ hits: 0, misses: 4 });
    expect(spy.mock.calls.map((c) => c[0].length)).toEqual([3]);
    const second = cachedExtractor(inner, { dir });
    const b = await second.extract([clips[2]!.file]);
    expect(second.stats()).toEqual({ hits: 1, misses: 0 });
    expect(Buffer.from(b[0]!.buffer)).toEqual(Buffer.from(a[2]!.buffer));
    expect(await readdir(dir)).toHaveLength(1);
    inner.dispose();
  });

  it('refuses a missing loader, CLS pooling, a folder without preprocessor_config.json, and a clip too short for the model, naming the folder, field or file', async () => {
    const base = { path: model.folder, modality: 'audio' as const };
    await expect(transformersExtractor(base)).rejects.toThrow(ConfigError);
    await expect(transformersExtractor(base)).rejects.toThrow(/audioLoader.*folder .*tiny-wav2vec2/s);
    await expect(createFeatureExtractor({ type: 'transformers', ...base })).rejects.toThrow(/audioLoader/);
    await expect(transformersExtractor({ ...base, audioLoader: rawLoader(), pooling: 'cls' })).rejects.toThrow(/pooling "mean"/);
    expect(() => pretrainedExtractorConfigSchema.parse({ type: 'transformers', ...base, pooling: 'cls' })).toThrow(/pooling/);
    expect(() => pretrainedExtractorConfigSchema.parse({ type: 'transformers', path: 'x', durationSec: 1 })).toThrow(/durationSec only with modality audio/);
    const bare = join(root, 'bare');
    await writeTinyWav2vec2(root, 'bare', seed);
    await rm(join(bare, 'preprocessor_config.json'));
    await expect(transformersExtractor({ ...base, path: bare, audioLoader: rawLoader() })).rejects.toThrow(/no preprocessor_config\.json.*folder .*bare/s);

    const short = join(root, 'short.f32');
    await writeFile(short, new Uint8Array(Float32Array.from({ length: 12 }, uniform).buffer));
    const e = await createFeatureExtractor({ type: 'transformers', ...base }, { audioLoader: rawLoader() });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined); // transformers.js logs the failed inputs
    const error = await e.extract([short]).catch((x: unknown) => x);
    quiet.mockRestore();
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toContain(`file ${short}`);
    e.dispose();
  });

  it('the committed fixture test-fixtures/tiny-wav2vec2 (read by the CLI test) is what the writer makes from its seed', async () => {
    const fresh = await writeTinyWav2vec2(root, 'committed', COMMITTED_SEED);
    const committed = fileURLToPath(new URL('../../test-fixtures/tiny-wav2vec2', import.meta.url));
    for (const file of ['config.json', 'preprocessor_config.json', join('onnx', 'model.onnx')]) {
      const want = await readFile(join(fresh.folder, file));
      expect(Buffer.compare(await readFile(join(committed, file)), want), `${file} is stale: run test-fixtures/write-tiny-wav2vec2.ts`).toBe(0);
    }
  });
});
