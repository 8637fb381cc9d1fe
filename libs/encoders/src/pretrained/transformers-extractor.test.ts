import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { cachedExtractor, createFeatureExtractor, transformersExtractor } from '@omnitrain/encoders';
import { encodePng, floatImage } from '@omnitrain/image';
import { TransformersTokenizer } from '@omnitrain/text';
import { writeTinyBert, writeTinyVit } from '../../test-fixtures/write-tiny-bert.js';
import type { TinyBert } from '../../test-fixtures/write-tiny-bert.js';

const seed = Math.floor(Math.random() * 2 ** 31);
let root: string;
let bert: TinyBert;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  // Nothing may be downloaded: any fetch fails the test.
  globalThis.fetch = vi.fn(async (url: unknown) => {
    throw new Error(`network access attempted: ${String(url)}`);
  }) as typeof fetch;
  root = await mkdtemp(join(tmpdir(), 'omnitrain-pretrained-'));
  bert = await writeTinyBert(root, 'tiny-bert', seed);
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

/** tanh(E[id] + T[0]) for each token of `text` as the folder's own tokenizer splits it. */
async function tokenRows(text: string): Promise<Float32Array[]> {
  const tok = await TransformersTokenizer.load({ kind: 'transformers', model: 'tiny-bert', modelRoot: root });
  const ids = Array.from(tok.encode(text).ids);
  return ids.map((id) => Float32Array.from({ length: bert.dim }, (_, d) => Math.tanh(bert.embeddings[id * bert.dim + d]! + bert.typeEmbeddings[d]!)));
}

describe(`transformersExtractor (seed ${seed})`, () => {
  const texts = ['the cat sat on the mat', 'a red dog', 'seven cats'];

  it('mean-pools a text model exactly as the hand-computed oracle, and CLS-pools the first token', async () => {
    const mean = await transformersExtractor({ path: bert.folder, pooling: 'mean' });
    expect(mean.outputDim).toBe(bert.dim);
    const got = await mean.extract(texts);
    for (const [i, text] of texts.entries()) {
      const rows = await tokenRows(text);
      const expected = Array.from({ length: bert.dim }, (_, d) => rows.reduce((a, r) => a + r[d]!, 0) / rows.length);
      Array.from(got[i]!).forEach((v, d) => expect(v).toBeCloseTo(expected[d]!, 5));
    }
    const cls = await transformersExtractor({ path: bert.folder, pooling: 'cls', normalize: true });
    const [first] = await cls.extract([texts[0]!]);
    const row = (await tokenRows(texts[0]!))[0]!;
    const norm = Math.hypot(...row);
    Array.from(first!).forEach((v, d) => expect(v).toBeCloseTo(row[d]! / norm, 5));
    mean.dispose();
    cls.dispose();
  });

  it('extracts image features with the folder\'s image processor (channel means of the pixels)', async () => {
    const folder = await writeTinyVit(root, 'tiny-vit');
    const pixels = Float32Array.from({ length: 6 * 5 * 3 }, (_, i) => ((i * 37 + seed) % 256) / 255);
    const file = join(root, 'img.png');
    await writeFile(file, await encodePng(floatImage([6, 5, 3], pixels)));
    const vit = await transformersExtractor({ path: folder, modality: 'image' });
    expect(vit.outputDim).toBe(3); // known before the first extract
    const [v] = await vit.extract([file]);
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let p = 0; p < 30; p++) sum += Math.round(pixels[p * 3 + c]! * 255) / 255;
      expect(v![c]).toBeCloseTo(sum / 30, 5);
    }
    expect(vit.outputDim).toBe(3);
    vit.dispose();
  });

  it('caches features: a second run computes nothing and returns the same bits; a corrupt cache is rebuilt', async () => {
    const dir = join(root, 'cache');
    const inner = await transformersExtractor({ path: bert.folder });
    const spy = vi.spyOn(inner, 'extract');
    const first = cachedExtractor(inner, { dir });
    const a = await first.extract([...texts, texts[0]!]);
    expect(first.stats()).toEqual({ hits: 0, misses: 4 });
    expect(spy.mock.calls.map((c) => c[0].length)).toEqual([3]); // the repeated text computed once
    const second = cachedExtractor(inner, { dir });
    const b = await second.extract([texts[2]!, texts[0]!]);
    expect(second.stats()).toEqual({ hits: 2, misses: 0 });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(Buffer.from(b[0]!.buffer)).toEqual(Buffer.from(a[2]!.buffer));
    expect(Buffer.from(b[1]!.buffer)).toEqual(Buffer.from(a[0]!.buffer));

    const { readdir } = await import('node:fs/promises');
    const [file] = await readdir(dir);
    await writeFile(join(dir, file!), 'not a safetensors file');
    const warnings: string[] = [];
    const third = cachedExtractor(inner, { dir, onWarning: (m) => warnings.push(m) });
    const c = await third.extract([texts[1]!]);
    expect(warnings.join('\n')).toMatch(/feature cache .* is unreadable/);
    expect(third.stats()).toEqual({ hits: 0, misses: 1 });
    expect(Array.from(c[0]!)).toEqual(Array.from(a[1]!));

    // One flipped bit in the feature bytes (the header still parses) is caught by the safetensors CRC-32 of @omnitrain/core.
    const bytes = await readFile(join(dir, file!));
    bytes[bytes.length - 1 - Math.floor(Math.random() * 4 * bert.dim)]! ^= 1 << Math.floor(Math.random() * 8);
    await writeFile(join(dir, file!), bytes);
    const fourth = cachedExtractor(inner, { dir, onWarning: (m) => warnings.push(m) });
    const d = await fourth.extract([texts[1]!]);
    expect(warnings.at(-1)).toMatch(/unreadable.*CRC-32/s);
    expect(fourth.stats()).toEqual({ hits: 0, misses: 1 });
    expect(Array.from(d[0]!)).toEqual(Array.from(a[1]!));
    inner.dispose();
  });

  it('keys the cache on the folder\'s content: a renamed copy shares it, an edited tokenizer does not', async () => {
    const copy = await writeTinyBert(root, 'tiny-bert-copy', seed);
    const a = await transformersExtractor({ path: bert.folder });
    const b = await transformersExtractor({ path: copy.folder });
    expect(b.cacheKey).toBe(a.cacheKey);
    const tokenizerFile = join(copy.folder, 'tokenizer.json');
    await writeFile(tokenizerFile, `${await readFile(tokenizerFile, 'utf8')}\n`);
    const c = await transformersExtractor({ path: copy.folder });
    expect(c.cacheKey).not.toBe(a.cacheKey);
    [a, b, c].forEach((e) => e.dispose());
  });

  it('refuses a folder without an ONNX model, naming it; a bad config names the field', async () => {
    await expect(transformersExtractor({ path: join(root, 'nowhere') })).rejects.toThrow(ConfigError);
    await expect(transformersExtractor({ path: join(root, 'nowhere') })).rejects.toThrow(/no config\.json.*folder .*nowhere/);
    await expect(createFeatureExtractor({ type: 'transformer' } as never)).rejects.toThrow(/type/);
  });
});
