import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOverrides, ConfigError } from '@omnitrain/core';
import { inSpace, loadSearchSpace, paramsToOverrides, parseSearchSpace } from '@omnitrain/tune';

describe('search spaces', () => {
  it('parses the four distributions with defaults', () => {
    const space = parseSearchSpace(
      ['optim.optimizer.lr: { loguniform: [1.0e-4, 0.1] }', 'train.labelSmoothing: { uniform: [0, 0.2] }', 'model.fusion.hiddenDim: { int: [8, 64], step: 8 }', 'model.encoders.image.depth: { int: [1, 3] }', 'model.fusion.name: { choice: [early, gated, attention] }'].join('\n'),
    );
    expect(space['model.encoders.image.depth']).toEqual({ int: [1, 3], step: 1 });
    expect(space['model.fusion.name']).toEqual({ choice: ['early', 'gated', 'attention'] });
    expect(inSpace(space['model.fusion.hiddenDim']!, 24)).toBe(true);
    expect(inSpace(space['model.fusion.hiddenDim']!, 20)).toBe(false);
  });

  it('reports bad specs at file:line:col', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tune-space-'));
    const file = join(dir, 'space.yaml');
    await writeFile(file, 'model.fusion.name: { choice: [early] }\noptim.optimizer.lr: { loguniform: [0, 0.1] }\n');
    const err = await loadSearchSpace(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(String((err as Error).message)).toMatch(new RegExp(`space\\.yaml:2:\\d+`));
    expect(() => parseSearchSpace('a: { uniform: [1, 1] }')).toThrow(/low < high/);
    expect(() => parseSearchSpace('a: { normal: [0, 1] }')).toThrow(ConfigError);
    expect(() => parseSearchSpace('{}')).toThrow(/at least one/);
  });

  it('turns params into overrides that core applies back to the same values', () => {
    const params = { 'optim.optimizer.lr': Math.random() / 10, 'model.fusion.name': 'gated', 'x.y': '1', 'a.b': true, 'c.d': 7 };
    const applied = applyOverrides({}, paramsToOverrides(params));
    for (const [path, v] of Object.entries(params)) {
      const got = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], applied);
      expect(got).toEqual(v);
    }
  });
});
