import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseConfig, runtimeConfigSchema } from '@omnitrain/core';

const runSchema = z.strictObject({
  runtime: runtimeConfigSchema.prefault({}),
  data: z.strictObject({
    name: z.string().min(1),
    batch_size: z.int().min(1).default(32),
  }),
  optim: z.strictObject({
    kind: z.enum(['adam', 'sgd']).default('adam'),
    lr: z.number().positive(),
    momentum: z.number().min(0).lt(1).default(0.9),
  }),
  layers: z
    .array(z.strictObject({ units: z.int().min(1), activation: z.enum(['relu', 'gelu']).default('relu') }))
    .default([]),
  head: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('concat') }),
      z.strictObject({ kind: z.literal('gated'), hidden: z.int().min(1) }),
    ])
    .optional(),
});

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** The issue lines of a ConfigError, without the two-space indent. */
function issueLines(fn: () => unknown): string[] {
  return thrown(fn).message.split('\n').slice(1).map((l) => l.slice(2));
}

describe('parseConfig', () => {
  it('returns the parsed config with every default filled in', () => {
    const yaml = `data:
  name: digits
optim:
  lr: 0.003
layers:
  - units: 64
  - {units: 10, activation: gelu}
`;
    expect(parseConfig(yaml, runSchema, { source: 'run.yaml' })).toEqual({
      runtime: { backend: 'auto', seed: 0, deterministic: true },
      data: { name: 'digits', batch_size: 32 },
      optim: { kind: 'adam', lr: 0.003, momentum: 0.9 },
      layers: [
        { units: 64, activation: 'relu' },
        { units: 10, activation: 'gelu' },
      ],
    });
  });

  it('reports every issue at once, at the line and column of the value', () => {
    const yaml = `runtime:
  seed: 7
data:
  name: digits
optim:
  kind: adam
  lr: fast
  momentum: 1
layers:
  - units: 64
  - units: 32
  - units: 0
`;
    const err = thrown(() => parseConfig(yaml, runSchema, { source: 'run.yaml' }));
    expect(err.message).toBe(
      [
        'config.load: expected a config that matches its schema, got 3 issues (file run.yaml)',
        '  run.yaml:7:7 optim.lr: expected number > 0, got "fast"',
        '  run.yaml:8:13 optim.momentum: expected number >= 0 and < 1, got 1',
        '  run.yaml:12:12 layers.2.units: expected integer >= 1, got 0',
      ].join('\n'),
    );
    expect(err.op).toBe('config.load');
    expect(err.issues[0]).toEqual({
      file: 'run.yaml',
      line: 7,
      column: 7,
      path: 'optim.lr',
      message: 'expected number > 0, got "fast"',
    });
  });

  it('rejects unknown keys at the key, suggesting the nearest valid one', () => {
    const yaml = `data:
  name: digits
optim:
  lrr: 0.1
  momentun: 0.8
  lerning_rate: 0.1
layers:
  - unit: 4
optimm: {}
`;
    expect(issueLines(() => parseConfig(yaml, runSchema, { source: 'run.yaml' }))).toEqual([
      'run.yaml:3:1 optim.lr: expected number > 0, got nothing (required field is missing)',
      'run.yaml:4:3 optim.lrr: unknown key; did you mean "lr"?',
      'run.yaml:5:3 optim.momentun: unknown key; did you mean "momentum"?',
      'run.yaml:6:3 optim.lerning_rate: unknown key; expected one of "kind", "lr", "momentum"',
      'run.yaml:8:5 layers.0.units: expected integer >= 1, got nothing (required field is missing)',
      'run.yaml:8:5 layers.0.unit: unknown key; did you mean "units"?',
      'run.yaml:9:1 optimm: unknown key; did you mean "optim"?',
    ]);
  });

  it('matches the example of the issue', () => {
    const schema = z.strictObject({
      optim: z.strictObject({ learning_rate: z.number().gt(0), momentum: z.number().default(0) }),
    });
    const yaml = 'optim:\n  momentum: 0.9\n  lerning_rate: 0.1\n';
    expect(issueLines(() => parseConfig(yaml, schema, { source: 'run.yaml' }))).toEqual([
      'run.yaml:1:1 optim.learning_rate: expected number > 0, got nothing (required field is missing)',
      'run.yaml:3:3 optim.lerning_rate: unknown key; did you mean "learning_rate"?',
    ]);
  });

  it('places missing top-level fields, nulls and wrong types in nested objects', () => {
    const yaml = `# comment line
optim:
  lr:
runtime:
  backend: wsam
  seed: -1
data: digits
`;
    expect(issueLines(() => parseConfig(yaml, runSchema, { source: 'run.yaml' }))).toEqual([
      'run.yaml:5:12 runtime.backend: ' +
        'expected one of "auto", "tensorflow-gpu", "tensorflow", "wasm", "cpu", got "wsam"',
      'run.yaml:6:9 runtime.seed: expected integer >= 0, got -1',
      'run.yaml:7:7 data: expected object, got "digits"',
      'run.yaml:3:6 optim.lr: expected number > 0, got null',
    ]);
  });

  it('reads flow-style lists and explains a union through the option the value names', () => {
    const yaml = `data: {name: digits}
optim: {lr: 0.1}
layers: [{units: 8}, {units: 2.5, activation: tanh}]
head:
  kind: gated
  hidden: wide
`;
    expect(issueLines(() => parseConfig(yaml, runSchema, { source: 'run.yaml' }))).toEqual([
      'run.yaml:3:30 layers.1.units: expected integer >= 1, got 2.5',
      'run.yaml:3:47 layers.1.activation: expected one of "relu", "gelu", got "tanh"',
      'run.yaml:6:11 head.hidden: expected integer >= 1, got "wide"',
    ]);
    const bad = 'data: {name: digits}\noptim: {lr: 0.1}\nhead: {kind: mixed}\n';
    expect(issueLines(() => parseConfig(bad, runSchema, { source: 'run.yaml' }))).toEqual([
      'run.yaml:3:14 head.kind: expected one of "concat", "gated", got "mixed"',
    ]);
  });

  it('reports YAML syntax errors with their place', () => {
    const twice = 'data:\n  name: a\ndata:\n  name: b\n';
    const err = thrown(() => parseConfig(twice, runSchema, { source: 'run.yaml' }));
    expect(err.message).toBe(
      'config.load: expected valid YAML, got a syntax error (file run.yaml)\n' +
        '  run.yaml:3:1 (root): invalid YAML: Map keys must be unique',
    );
    const unclosed = 'optim:\n  lr: [0.1, 0.2\n';
    expect(issueLines(() => parseConfig(unclosed, runSchema, { source: 'run.yaml' }))).toEqual([
      'run.yaml:3:1 (root): invalid YAML: ' +
        'Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(issueLines(() => parseConfig('optim: *base\n', runSchema))).toEqual([
      expect.stringMatching(/^<string> \(root\): invalid YAML: .*alias.*base/i),
    ]);
  });

  it('reports an empty file at its first line', () => {
    expect(issueLines(() => parseConfig('', runSchema, { source: 'run.yaml' }))).toEqual([
      'run.yaml:1:1 (root): expected object, got null',
    ]);
  });

  it('applies overrides before validation and blames the override for its value', () => {
    const yaml = 'data:\n  name: digits\noptim:\n  lr: fast\n  kind: adam\n';
    const overrides = ['optim.lr=0.01', 'layers=[{units: 3}]'];
    expect(parseConfig(yaml, runSchema, { overrides })).toMatchObject({
      optim: { lr: 0.01, kind: 'adam' },
      layers: [{ units: 3, activation: 'relu' }],
    });
    const lines = issueLines(() =>
      parseConfig(yaml, runSchema, {
        source: 'run.yaml',
        overrides: ['optim.kind=adamw', 'runtime.seed=1.5', 'runtime.seeds=2', 'layers.0.units=0'],
      }),
    );
    expect(lines).toEqual([
      '--set runtime.seed=1.5 runtime.seed: expected integer >= 0, got 1.5',
      '--set runtime.seeds=2 runtime.seeds: unknown key; did you mean "seed"?',
      '--set optim.kind=adamw optim.kind: expected one of "adam", "sgd", got "adamw"',
      'run.yaml:4:7 optim.lr: expected number > 0, got "fast"',
      '--set layers.0.units=0 layers: expected array of object, got {"0":{"units":0}}',
    ]);
    // A field below a list the file does have is blamed on the override that set it.
    const withLayers = `${yaml}layers:\n  - units: 4\n`;
    const fixLr = ['optim.lr=1', 'layers.0.units=0'];
    expect(issueLines(() => parseConfig(withLayers, runSchema, { overrides: fixLr }))).toEqual([
      '--set layers.0.units=0 layers.0.units: expected integer >= 1, got 0',
    ]);
  });

  it('lets a malformed override fail before validation, naming it', () => {
    const err = thrown(() => parseConfig('data: {name: x}\n', runSchema, { overrides: ['optim.lr 0.1'] }));
    expect(err.op).toBe('config.applyOverrides');
    expect(err.issues).toEqual([
      { file: '--set optim.lr 0.1', path: 'optim.lr 0.1', message: 'expected key.path=value, got no "="' },
    ]);
  });
});
