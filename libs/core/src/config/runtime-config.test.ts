import { describe, expect, expectTypeOf, it } from 'vitest';
import { BACKEND_NAMES, loadConfigObject, runtimeConfigSchema } from '@omnitrain/core';
import type { BackendName, RuntimeConfig } from '@omnitrain/core';

describe('runtimeConfigSchema', () => {
  it('fills every default', () => {
    expect(runtimeConfigSchema.parse({})).toEqual({ backend: 'auto', seed: 0, deterministic: true });
    expect(runtimeConfigSchema.parse({ backend: 'wasm', seed: 12345, deterministic: false })).toEqual({
      backend: 'wasm',
      seed: 12345,
      deterministic: false,
    });
  });

  it('accepts auto and every backend initBackend knows, nothing else', () => {
    expect(runtimeConfigSchema.shape.backend.unwrap().options).toEqual(['auto', ...BACKEND_NAMES]);
    expectTypeOf<RuntimeConfig['backend']>().toEqualTypeOf<BackendName | 'auto'>();
    expectTypeOf<RuntimeConfig['seed']>().toEqualTypeOf<number>();
  });

  it('rejects bad values with the expected range', () => {
    expect(() =>
      loadConfigObject({ backend: 'webgl', seed: 1.5, deterministic: 'yes' }, runtimeConfigSchema, { source: 'runtime' }),
    ).toThrow(
      [
        'config.loadObject: expected a config that matches its schema, got 3 issues (runtime)',
        '  runtime backend: expected one of "auto", "tensorflow-gpu", "tensorflow", "wasm", "cpu", got "webgl"',
        '  runtime seed: expected integer >= 0, got 1.5',
        '  runtime deterministic: expected boolean, got "yes"',
      ].join('\n'),
    );
  });

  it('documents each field with its default', () => {
    for (const [name, field] of Object.entries(runtimeConfigSchema.shape)) {
      expect(field.description, name).toMatch(/Default: .+\.$/);
    }
  });
});
