import { describe, expect, it } from 'vitest';
import { ConfigError, applyOverrides } from '@omnitrain/core';

describe('applyOverrides', () => {
  it('reads values as YAML scalars and flow collections', () => {
    const out = applyOverrides({}, [
      'optim.lr=0.01',
      'optim.warmup=500',
      'optim.eps=1e-8',
      'runtime.deterministic=false',
      'data.limit=null',
      'data.name=digits',
      'data.version="2"',
      'data.tag=',
      'model.sizes=[64, 32, 16]',
      'model.head={kind: gated, hidden: 8}',
      'data.path=s3://bucket/x=1',
    ]);
    expect(out).toEqual({
      optim: { lr: 0.01, warmup: 500, eps: 1e-8 },
      runtime: { deterministic: false },
      data: { limit: null, name: 'digits', version: '2', tag: '', path: 's3://bucket/x=1' },
      model: { sizes: [64, 32, 16], head: { kind: 'gated', hidden: 8 } },
    });
  });

  it('sets nested fields beside existing ones, later overrides winning, without touching the input', () => {
    const input = { optim: { kind: 'adam', lr: 0.1 }, layers: [{ units: 64 }, { units: 32 }] };
    const out = applyOverrides(input, ['optim.lr=0.5', 'optim.lr=0.02', 'layers.1.units=16', 'layers.2.units=8']);
    expect(out).toEqual({
      optim: { kind: 'adam', lr: 0.02 },
      layers: [{ units: 64 }, { units: 16 }, { units: 8 }],
    });
    expect(input).toEqual({ optim: { kind: 'adam', lr: 0.1 }, layers: [{ units: 64 }, { units: 32 }] });
  });

  it('treats a missing config, or null on the path, as empty objects', () => {
    expect(applyOverrides(undefined, ['a.b.c=1'])).toEqual({ a: { b: { c: 1 } } });
    expect(applyOverrides({ a: null }, ['a.b=true'])).toEqual({ a: { b: true } });
    expect(applyOverrides(null, [])).toEqual({});
  });

  it('reports every malformed override at once, each named', () => {
    const apply = () =>
      applyOverrides({ optim: { lr: 0.1 }, layers: [{ units: 4 }] }, [
        'optim.lr',
        '=3',
        'optim..lr=1',
        'optim.betas=[0.9, 0.99',
        'optim.kind=adam: fast',
        'optim.lr.value=2',
        'layers.3.units=2',
        'layers.first.units=2',
        '__proto__.polluted=1',
        'optim.momentum=0.9',
      ]);
    expect(apply).toThrow(ConfigError);
    const message = [
      'config.applyOverrides: expected overrides written key.path=value, got 9 malformed overrides. ' +
        'Hint: write --set optim.lr=0.01; values are read as YAML, quote one to keep it a string',
      '  --set optim.lr optim.lr: expected key.path=value, got no "="',
      '  --set =3 (root): expected a dotted key path like optim.lr before "=", got ""',
      '  --set optim..lr=1 optim..lr: expected a dotted key path like optim.lr before "=", got "optim..lr"',
      '  --set optim.betas=[0.9, 0.99 optim.betas: expected a YAML value, got "[0.9, 0.99" ' +
        '(Flow sequence must end with a ])',
      '  --set optim.kind=adam: fast optim.kind: expected a YAML scalar or flow list like [1, 2], ' +
        'got "adam: fast"; quote it to set a string',
      '  --set optim.lr.value=2 optim.lr.value: expected a mapping at optim.lr to set optim.lr.value in, got 0.1',
      '  --set layers.3.units=2 layers.3.units: expected a list index from 0 to 1 at layers.3, got "3"',
      '  --set layers.first.units=2 layers.first.units: ' +
        'expected a list index from 0 to 1 at layers.first, got "first"',
      '  --set __proto__.polluted=1 __proto__.polluted: ' +
        'expected a dotted key path like optim.lr before "=", got "__proto__.polluted"',
    ].join('\n');
    expect(apply).toThrow(expect.objectContaining({ op: 'config.applyOverrides', message }));
    expect(apply).toThrow(
      expect.objectContaining({
        issues: expect.arrayContaining([
          { file: '--set optim.lr', path: 'optim.lr', message: 'expected key.path=value, got no "="' },
        ]),
      }),
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses a config whose top level is not a mapping', () => {
    expect(() => applyOverrides([1, 2], ['a=1'])).toThrow(
      expect.objectContaining({
        issues: [
          { file: '--set a=1', path: 'a', message: 'expected a mapping at the top level to set fields in, got [1,2]' },
        ],
      }),
    );
  });
});
