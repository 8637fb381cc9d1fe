import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfigObject, runtimeConfigSchema } from '@omnitrain/core';

const schema = z.strictObject({
  runtime: runtimeConfigSchema.prefault({}),
  optim: z.strictObject({
    lr: z.number().positive(),
    betas: z.tuple([z.number(), z.number()]).default([0.9, 0.999]),
  }),
});

describe('loadConfigObject', () => {
  it('validates a plain object and fills defaults', () => {
    expect(loadConfigObject({ optim: { lr: 0.1 } }, schema)).toEqual({
      runtime: { backend: 'auto', seed: 0, deterministic: true },
      optim: { lr: 0.1, betas: [0.9, 0.999] },
    });
  });

  it('formats issues as for a file, without line numbers', () => {
    const value = { runtime: { seed: 3, determinstic: false }, optim: { lr: 'fast', betas: [0.9, 'x'] } };
    const load = () => loadConfigObject(value, schema, { source: 'worker 3' });
    expect(load).toThrow(ConfigError);
    const message = [
      'config.loadObject: expected a config that matches its schema, got 3 issues (worker 3)',
      '  worker 3 runtime.determinstic: unknown key; did you mean "deterministic"?',
      '  worker 3 optim.lr: expected number > 0, got "fast"',
      '  worker 3 optim.betas.1: expected number, got "x"',
    ].join('\n');
    const lr = { file: 'worker 3', path: 'optim.lr', message: 'expected number > 0, got "fast"' };
    expect(load).toThrow(expect.objectContaining({ message, issues: expect.arrayContaining([lr]) }));
  });

  it('leaves the place out without a source, and blames overrides', () => {
    const load = () => loadConfigObject({ optim: {} }, schema, { overrides: ['runtime.backend=gpu'] });
    const lines = [
      '  --set runtime.backend=gpu runtime.backend: ' +
        'expected one of "auto", "tensorflow-gpu", "tensorflow", "wasm", "cpu", got "gpu"',
      '  optim.lr: expected number > 0, got nothing (required field is missing)',
    ];
    expect(load).toThrow(`got 2 issues\n${lines.join('\n')}`);
  });
});
