import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '@omnitrain/cli';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';

const MINIMAL = [
  'data:',
  '  manifest: m.jsonl',
  'model:',
  '  modalities: [image]',
  '  numClasses: 3',
  '  encoders: { image: { name: cnn } }',
  '  fusion: { name: early }',
  '',
].join('\n');

describe('omnitrain config', () => {
  it('config schema prints a JSON Schema with every section, strict at the top', async () => {
    const r = await runOmnitrain(['config', 'schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { $schema: string; type: string; properties: Record<string, { description?: string }>; additionalProperties: unknown };
    expect(schema.$schema).toContain('2020-12');
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    for (const section of ['runtime', 'data', 'features', 'model', 'optim', 'train', 'distributed', 'telemetry']) {
      expect(schema.properties, section).toHaveProperty(section);
      expect(schema.properties[section]!.description, section).toBeTruthy();
    }
  });

  it('reports invalid YAML at file:line:col and exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omnitrain-cli-'));
    const line = 2 + Math.floor(Math.random() * 5);
    const file = join(dir, 'broken.yaml');
    await writeFile(file, `name: x\n${'# filler\n'.repeat(line - 2)}runtime: {seed: 1\n`);
    const r = await runOmnitrain(['config', 'check', file]);
    expect(r.code).toBe(EXIT_CODES.config);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.\\/]/g, '\\$&')}:\\d+:\\d+ .*invalid YAML`));
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
  });

  it('names a misspelt key with its place and a suggestion, and exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omnitrain-cli-'));
    const file = join(dir, 'run.yaml');
    const seed = Math.floor(Math.random() * 1000);
    await writeFile(file, `runtime:\n  seed: ${seed}\ndata:\n  manifest: m.jsonl\n  batchSize: 8\n  shufle: true\n`);
    const r = await runOmnitrain(['config', 'check', file]);
    expect(r.code).toBe(EXIT_CODES.config);
    expect(r.stderr).toContain(`${file}:6:3 data.shufle: unknown key; did you mean "shuffle"?`);
  });

  it('applies --set overrides before validation and prints the resolved config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omnitrain-cli-'));
    const file = join(dir, 'run.yaml');
    await writeFile(file, MINIMAL);
    const batch = 1 + Math.floor(Math.random() * 64);
    const r = await runOmnitrain(['config', 'check', file, '--set', `train.batchSize=${batch}`, '--set', `data.batchSize=${batch}`, '--set', 'runtime.backend=cpu']);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as { name: string; train: { batchSize: number }; runtime: { backend: string } };
    expect(run.train.batchSize).toBe(batch);
    expect(run.runtime.backend).toBe('cpu');
    expect(run.name).toBe('run');
    const differ = await runOmnitrain(['config', 'check', file, '--set', `data.batchSize=${batch + 1}`, '--set', `train.batchSize=${batch}`]);
    expect(differ.code).toBe(EXIT_CODES.config);
    expect(differ.stderr).toContain('data.batchSize: expected the same global batch size as train.batchSize');
  });

  it('every run file in examples/ is valid', async () => {
    const examples = join(dirname(fileURLToPath(import.meta.url)), '../../../../examples');
    const runs = (await readdir(examples)).filter((f) => f.endsWith('.yaml') && !f.includes('space'));
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const f of runs) {
      const r = await runOmnitrain(['config', 'check', join(examples, f)]);
      expect(r.code, `${f}: ${r.stderr}`).toBe(0);
    }
  });

  it('fills runtime.seed into every section that sets no seed, and one batch size into both sections', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omnitrain-cli-'));
    const file = join(dir, 'run.yaml');
    const seed = 1 + Math.floor(Math.random() * 1000);
    const batch = 1 + Math.floor(Math.random() * 64);
    await writeFile(file, `runtime: { seed: ${seed} }
${MINIMAL.replace('  manifest: m.jsonl', `  manifest: m.jsonl\n  batchSize: ${batch}`)}`);
    type Seeded = { seed: number; batchSize?: number };
    const r = await runOmnitrain(['config', 'check', file]);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as Record<'data' | 'features' | 'model' | 'train', Seeded>;
    expect([run.data.seed, run.features.seed, run.model.seed, run.train.seed]).toEqual([seed, seed, seed, seed]);
    expect([run.data.batchSize, run.train.batchSize]).toEqual([batch, batch]);
    // A seed written in a section wins over the root one.
    const own = await runOmnitrain(['config', 'check', file, '--set', `train.seed=${seed + 1}`]);
    expect(own.code, own.stderr).toBe(0);
    const ownRun = JSON.parse(own.stdout) as Record<'data' | 'train', Seeded>;
    expect([ownRun.data.seed, ownRun.train.seed]).toEqual([seed, seed + 1]);
  });
});
