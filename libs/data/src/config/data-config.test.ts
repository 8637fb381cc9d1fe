import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import { DataConfigSchema, EpochSampler, loadDataset, parseDataConfig } from '@omnitrain/data';
import { tempTree } from '../../test-fixtures/temp-tree.js';

function describedFields(schema: unknown, path = ''): Array<[string, string | undefined]> {
  const s = schema as { description?: string; unwrap?: () => unknown; def?: { innerType?: unknown; shape?: Record<string, unknown> }; shape?: Record<string, unknown> };
  const shape = s.shape ?? s.def?.shape;
  if (!shape) return [];
  return Object.entries(shape).flatMap(([key, field]) => {
    let inner = field as typeof s;
    while (!inner.shape && inner.def?.innerType) inner = inner.def.innerType as typeof s;
    return [[`${path}${key}`, (field as typeof s).description] as [string, string | undefined], ...describedFields(inner, `${path}${key}.`)];
  });
}

describe('DataConfig', () => {
  it('fills in every default', () => {
    expect(parseDataConfig({ manifest: 'data/train.csv' })).toEqual({
      manifest: 'data/train.csv',
      labelSeparator: ';',
      seed: 0,
      split: { ratios: { train: 0.8, val: 0.1, test: 0.1 }, stratify: true },
      batchSize: 32,
      shuffle: true,
      dropLast: false,
      prefetch: { depth: 4, concurrency: 4 },
      featureCache: true,
      sequence: { length: 'longest', truncate: 'end', padSide: 'end' },
      normalization: 'none',
      featureSelection: { bins: 10 },
      cleaning: { enabled: true, duplicates: true },
    });
  });

  it('documents every field, with its default', () => {
    const fields = describedFields(DataConfigSchema);
    expect(fields.length).toBeGreaterThan(25);
    for (const [path, description] of fields) {
      expect(description, path).toBeTruthy();
      if (!['folder.root', 'folder.modality'].includes(path)) expect(description, path).toMatch(/Default/);
    }
  });

  it('lists every problem with its field path', () => {
    let error: unknown;
    try {
      parseDataConfig({ manifest: 'm.csv', folder: { root: 'x', modality: 'video' }, batchSize: 0, sequnce: {} }, 'run.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { file: 'run.yaml', path: 'folder.modality', message: 'expected one of "image", "audio", "text", got "video"' },
      { file: 'run.yaml', path: 'batchSize', message: 'expected integer > 0, got 0' },
      { file: 'run.yaml', path: 'sequnce', message: 'unknown key; did you mean "sequence"?' },
    ]);
    expect(() => parseDataConfig({ manifest: 'm.csv', folder: { root: 'x', modality: 'text' } })).toThrow(
      /manifest: give exactly one of manifest or folder/,
    );
    expect(() => parseDataConfig({})).toThrow(/manifest: give exactly one of manifest or folder/);
  });
});

describe('loadDataset', () => {
  it('reads, cleans and splits as configured, ready for the sampler', async () => {
    const files: Record<string, string> = {};
    const rows = ['image,label'];
    for (let i = 0; i < 40; i++) {
      files[`img/${i}.png`] = `pixels ${i}`;
      rows.push(`img/${i}.png,${i % 2 ? 'dog' : 'cat'}`);
    }
    rows.push('img/0.png,cat', 'img/404.png,dog', 'img/1.png,bird');
    const root = await tempTree({ ...files, 'all.csv': rows.join('\n') });
    const config = parseDataConfig({ manifest: join(root, 'all.csv'), classes: ['cat', 'dog'], seed: 3, split: { ratios: { train: 3, test: 1 } } });
    const data = await loadDataset(config);
    expect(data.report!.summary.byReason).toEqual({ duplicate: 1, 'missing-file': 1, 'unknown-label': 1 });
    expect(data.classes).toEqual(['cat', 'dog']);
    expect([data.splits.train!.length, data.splits.test!.length]).toEqual([30, 10]);
    expect(data.splits.test!.filter((s) => s.labels[0] === 'cat')).toHaveLength(5);
    const again = await loadDataset(config);
    expect(again.splits.test!.map((s) => s.id)).toEqual(data.splits.test!.map((s) => s.id));
    const sampler = new EpochSampler({ size: data.splits.train!.length, batchSize: config.batchSize, seed: config.seed });
    expect([...sampler.epochBatches()].flatMap((b) => [...b.indices]).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, i) => i),
    );
    const strict = parseDataConfig({ manifest: join(root, 'all.csv'), classes: ['cat', 'dog'], cleaning: { enabled: false } });
    await expect(loadDataset(strict)).rejects.toThrow(DataError);
    await expect(loadDataset(strict)).rejects.toThrow(/got "bird" .*line 44, field label/);
  });

  it('reads a class-folder tree', async () => {
    const files = Object.fromEntries(['a', 'b'].flatMap((c) => [0, 1, 2, 3, 4].map((i) => [`${c}/${i}.wav`, `${c}${i}`])));
    const root = await tempTree(files);
    const data = await loadDataset(parseDataConfig({ folder: { root, modality: 'audio' }, split: { ratios: { train: 1 } } }));
    expect(data.splits.train!.map((s) => s.id)).toEqual(['a/0.wav', 'a/1.wav', 'a/2.wav', 'a/3.wav', 'a/4.wav', 'b/0.wav', 'b/1.wav', 'b/2.wav', 'b/3.wav', 'b/4.wav']);
    expect(data.report!.dropped).toEqual([]);
  });
});
