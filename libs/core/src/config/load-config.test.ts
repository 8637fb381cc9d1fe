import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig, runtimeConfigSchema } from '@omnitrain/core';

const schema = z.strictObject({
  runtime: runtimeConfigSchema.prefault({}),
  optim: z.strictObject({ lr: z.number().positive(), warmup_steps: z.int().min(0).default(0) }),
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omnitrain-load-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('reads and validates a YAML file, with defaults and overrides', async () => {
    const file = join(dir, 'good.yaml');
    await writeFile(file, 'runtime:\n  backend: wasm\noptim:\n  lr: 0.25\n');
    expect(await loadConfig(file, schema)).toEqual({
      runtime: { backend: 'wasm', seed: 0, deterministic: true },
      optim: { lr: 0.25, warmup_steps: 0 },
    });
    expect(await loadConfig(file, schema, { overrides: ['runtime.seed=9', 'optim.warmup_steps=100'] })).toEqual({
      runtime: { backend: 'wasm', seed: 9, deterministic: true },
      optim: { lr: 0.25, warmup_steps: 100 },
    });
  });

  it('reports issues against the file path as given', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'optim:\n  lr: 0\n  warmup_step: 10\n');
    const message = [
      `config.load: expected a config that matches its schema, got 2 issues (file ${file})`,
      `  ${file}:2:7 optim.lr: expected number > 0, got 0`,
      `  ${file}:3:3 optim.warmup_step: unknown key; did you mean "warmup_steps"?`,
    ].join('\n');
    await expect(loadConfig(file, schema)).rejects.toThrow(expect.objectContaining({ name: 'ConfigError', message }));
  });

  it('says which file could not be read', async () => {
    const file = join(dir, 'missing.yaml');
    const message =
      `config.load: expected a readable YAML file, got ENOENT (file ${file}). ` +
      'Hint: check the path, relative to the current directory';
    await expect(loadConfig(file, schema)).rejects.toThrow(ConfigError);
    await expect(loadConfig(file, schema)).rejects.toThrow(
      expect.objectContaining({ message, cause: expect.objectContaining({ code: 'ENOENT' }) }),
    );
  });
});
