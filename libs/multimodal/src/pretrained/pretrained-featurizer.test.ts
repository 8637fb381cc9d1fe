import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import type { Sample } from '@omnitrain/data';
import { mobilenetV2Extractor, useLiteExtractor } from '@omnitrain/encoders';
import { encodePng, floatImage } from '@omnitrain/image';
import type { FeatureExtractor } from '@omnitrain/encoders';
import { PretrainedFeaturizer, parsePretrainedFeaturesConfig } from '@omnitrain/multimodal';

const seed = Math.floor(Math.random() * 2 ** 31);
let s = seed || 1;
const rand = (n: number) => ((s = (s * 1664525 + 1013904223) >>> 0) % n);
const words = ['red', 'cat', 'dog', 'sat', 'on', 'the', 'mat', 'seven', 'three', 'green', 'river', 'ran', 'fast', 'slowly', 'tree'];
const sentence = () => Array.from({ length: 3 + rand(5) }, () => words[rand(words.length)]!).join(' ');
const sample = (id: string, text?: string, image?: string): Sample => ({ id, text, image, labels: ['a'], extra: {}, source: { file: 'test.jsonl' } });

const realFetch = globalThis.fetch;
let root: string;
let oracle: FeatureExtractor;

beforeAll(async () => {
  // Nothing may be downloaded: any fetch fails the test.
  globalThis.fetch = vi.fn(async (url: unknown) => {
    throw new Error(`network access attempted: ${String(url)}`);
  }) as typeof fetch;
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'omnitrain-pretrained-featurizer-'));
  oracle = await useLiteExtractor();
});
afterAll(() => {
  oracle?.dispose();
  globalThis.fetch = realFetch;
});

describe(`PretrainedFeaturizer (seed ${seed})`, () => {
  it('gives each text sample the extractor\'s own vector, skips blank / missing text, and reads the cache the second time', async () => {
    const texts = Array.from({ length: 5 }, sentence);
    const samples = [
      ...texts.map((t, i) => sample(`s${i}`, t)),
      sample('blank', '   '),
      sample('no-text', undefined, join(root, 'not-read.png')), // image not configured: never read
      sample('repeat', texts[0]),
    ];
    const cacheDir = join(root, 'cache');
    const first = await PretrainedFeaturizer.create({ config: { text: { type: 'use-lite' } }, cacheDir });
    expect(first.modalities).toEqual(['text']);
    expect(first.inputShapes()).toEqual({ text: [512] });
    const a = await first.featurize(samples);
    expect(a.map((f) => f.id)).toEqual(samples.map((x) => x.id));
    expect(first.cacheStats()).toEqual({ text: { hits: 0, misses: 6 } });
    expect(a[5]).toEqual({ id: 'blank' });
    expect(a[6]).toEqual({ id: 'no-text' });
    // Oracle: the extractor run directly, one sentence at a time.
    for (const [i, t] of texts.entries()) {
      const [want] = await oracle.extract([t]);
      expect(a[i]!.text!.length).toBe(512);
      Array.from(a[i]!.text!).forEach((v, d) => expect(v).toBeCloseTo(want![d]!, 5));
    }
    expect(Buffer.from(a[7]!.text!.buffer)).toEqual(Buffer.from(a[0]!.text!.buffer));
    first.dispose();

    // A second run (new featurizer, same cache folder): nothing is computed, the bits are the same.
    const second = await PretrainedFeaturizer.create({ config: { text: { type: 'use-lite' } }, cacheDir });
    const b = await second.featurize([...samples].reverse());
    expect(second.cacheStats()).toEqual({ text: { hits: 6, misses: 0 } });
    [...b].reverse().forEach((f, i) => {
      if (a[i]!.text) expect(Buffer.from(f.text!.buffer)).toEqual(Buffer.from(a[i]!.text!.buffer));
      else expect(f.text).toBeUndefined();
    });

    // A corrupt cache file is reported and rebuilt, never used.
    const [file] = await readdir(cacheDir);
    await writeFile(join(cacheDir, file!), 'garbage');
    const warnings: string[] = [];
    const third = await PretrainedFeaturizer.create({ config: { text: { type: 'use-lite' } }, cacheDir, onWarning: (m) => warnings.push(m) });
    const c = await third.featurize(samples.slice(0, 2));
    expect(warnings.join('\n')).toMatch(/unreadable/);
    expect(third.cacheStats()).toEqual({ text: { hits: 0, misses: 2 } });
    c.forEach((f, i) => Array.from(f.text!).forEach((v, d) => expect(v).toBeCloseTo(a[i]!.text![d]!, 5)));
    second.dispose();
    third.dispose();
  });

  it('featurizes image files with MobileNetV2 (1280-d) next to text, each equal to its extractor run directly', async () => {
    const files = await Promise.all(
      [0, 1].map(async (k) => {
        const file = join(root, `img-${k}.png`);
        await writeFile(file, await encodePng(floatImage([40, 30, 3], Float32Array.from({ length: 40 * 30 * 3 }, () => rand(256) / 255))));
        return file;
      }),
    );
    const samples = [sample('both', 'a red cat', files[0]), sample('image-only', undefined, files[1]), sample('text-only', 'three trees')];
    const f = await PretrainedFeaturizer.create({ config: { image: { type: 'mobilenet-v2' }, text: { type: 'use-lite' } } });
    expect(f.modalities).toEqual(['image', 'text']);
    expect(f.inputShapes()).toEqual({ image: [1280], text: [512] });
    expect(f.cacheStats()).toEqual({});
    const got = await f.featurize(samples);
    const mobilenet = await mobilenetV2Extractor();
    const images = await mobilenet.extract(files);
    const texts = await oracle.extract(['a red cat', 'three trees']);
    mobilenet.dispose();
    const close = (a: Float32Array | undefined, b: Float32Array) => Array.from(b).forEach((v, d) => expect(a![d]).toBeCloseTo(v, 4));
    close(got[0]!.image, images[0]!);
    close(got[1]!.image, images[1]!);
    close(got[0]!.text, texts[0]!);
    close(got[2]!.text, texts[1]!);
    expect(got[1]!.text).toBeUndefined();
    expect(got[2]!.image).toBeUndefined();
    f.dispose();
  });

  it('refuses an extractor configured for the wrong modality or an unknown modality, naming the field; loads nothing not asked for', async () => {
    await expect(PretrainedFeaturizer.create({ config: { image: { type: 'use-lite' } } })).rejects.toThrow(ConfigError);
    await expect(PretrainedFeaturizer.create({ config: { image: { type: 'use-lite' } } })).rejects.toThrow(/pretrained\.image\.type.*use-lite/s);
    await expect(PretrainedFeaturizer.create({ config: { text: { type: 'mobilenet-v2' } } })).rejects.toThrow(/pretrained\.text\.type/);
    await expect(PretrainedFeaturizer.create({ config: { audio: { type: 'use-lite' } } })).rejects.toThrow(/pretrained\.audio\.type.*use-lite.*reads text/s);
    expect(() => parsePretrainedFeaturesConfig({ video: { type: 'use-lite' } })).toThrow(/video/);
    expect(() => parsePretrainedFeaturesConfig({ text: { type: 'use-light' } })).toThrow(ConfigError);
    // Image configured but not among the modalities: MobileNet is never loaded.
    const none = await PretrainedFeaturizer.create({ config: { image: { type: 'mobilenet-v2' } }, modalities: ['text'] });
    expect(none.modalities).toEqual([]);
    expect(await none.featurize([sample('x', 'the cat')])).toEqual([{ id: 'x' }]);
    none.dispose();
  });
});
