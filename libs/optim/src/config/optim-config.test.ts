import { describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { optimizerConfigSchema, optimizers, parseOptimConfig } from '@omnitrain/optim';

describe('parseOptimConfig', () => {
  it('fills every default', () => {
    expect(parseOptimConfig({})).toEqual({
      optimizer: {
        name: 'adam', lr: 1e-3, weightDecay: 0, decoupledWeightDecay: false, maximize: false,
        beta1: 0.9, beta2: 0.999, eps: 1e-8, amsgrad: false, groups: [], clipNormType: 2,
      },
      schedule: { name: 'constant', factor: 1, totalIters: 0 },
      scheduleInterval: 'step',
      regularization: { l1: 0, l2: 0, params: ['*'] },
      accumulationSteps: 1,
    });
    expect(optimizerConfigSchema.parse({ name: 'adamw' })).toMatchObject({ weightDecay: 0.01, decoupledWeightDecay: true });
  });

  it('lists every problem with its path', () => {
    let error: unknown;
    try {
      parseOptimConfig(
        { optimizer: { name: 'sgd', lr: -1, momentun: 0.9, groups: [{ params: [], lr: 'fast' }] }, accumulationSteps: 0 },
        'run.yaml',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const paths = (error as ConfigError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['optimizer.lr', 'optimizer.groups.0.params', 'optimizer.groups.0.lr', 'accumulationSteps']));
    expect((error as ConfigError).message).toMatch(/momentun/);
  });

  it('knows the plateau and schedule sections', () => {
    const c = parseOptimConfig({ schedule: { name: 'one-cycle', totalSteps: 100 }, plateau: { patience: 2 } });
    expect(c.plateau).toMatchObject({ monitor: 'val_loss', patience: 2, factor: 0.1 });
    expect(c.schedule).toMatchObject({ pctStart: 0.3, divFactor: 25 });
    expect(() => parseOptimConfig({ schedule: { name: 'cosine' } })).toThrow(/schedule.tMax/);
  });

  it('registers the built-in optimizers', () => {
    expect(optimizers.list()).toEqual(['adagrad', 'adam', 'adamw', 'rmsprop', 'sgd']);
    expect(() => optimizers.get('adm')).toThrow(/Unknown optimizer "adm". Available: adagrad, adam, adamw, rmsprop, sgd. Did you mean "adam"\?/);
  });
});
