import { describe, expect, it } from 'vitest';
import {
  ConfigError,
} from '@omnitrain/core';
import {
  constantLr,
  cosineAnnealingLr,
  createSchedule,
  linearWarmup,
  makeSchedule,
  oneCycleLr,
  schedules,
  scheduleConfigSchema,
  stepLr,
} from '@omnitrain/optim';

describe('schedules', () => {
  it('registers every built-in schedule and lists them on a typo', () => {
    expect(schedules.list()).toEqual([
      'constant', 'cosine', 'cosine-restarts', 'exponential', 'linear-warmup', 'multi-step', 'one-cycle', 'step',
    ]);
    expect(() => createSchedule({ name: 'cosin' })).toThrow(/Unknown schedule "cosin". Available: constant, .*Did you mean "cosine"\?/);
  });

  it('validates options and names the field', () => {
    expect(() => stepLr({ stepSize: 0 })).toThrow(ConfigError);
    expect(() => createSchedule({ name: 'step', stepSize: 3, gama: 0.5 } as never)).toThrow(/gama/);
    expect(() => createSchedule({ name: 'linear-warmup', steps: 5, after: { name: 'cosine' } } as never)).toThrow(/tMax/);
  });

  it('rejects non-integer and negative steps, and one-cycle past its end (as torch)', () => {
    expect(() => constantLr().lr(-1, 0.1)).toThrow(/integer >= 0, got -1/);
    expect(() => constantLr().lr(1.5, 0.1)).toThrow(ConfigError);
    const s = oneCycleLr({ totalSteps: 10 });
    expect(() => s.lr(10, 0.1)).not.toThrow();
    expect(() => s.lr(11, 0.1)).toThrow(/step <= totalSteps \(10\)/);
  });

  it('wraps any schedule, given as an object or a config, behind a linear warmup', () => {
    const after = cosineAnnealingLr({ tMax: 10, etaMin: 0.01 });
    const a = linearWarmup({ steps: 4, after });
    const b = linearWarmup({ steps: 4, after: { name: 'cosine', tMax: 10, etaMin: 0.01 } });
    for (let t = 0; t < 20; t++) expect(a.lr(t, 0.2)).toBe(b.lr(t, 0.2));
    expect(a.lr(0, 0.2)).toBe(0);
    expect(a.lr(2, 0.2)).toBeCloseTo(0.1, 15);
    expect(a.lr(4 + 5, 0.2)).toBe(after.lr(5, 0.2));
    expect(a.getConfig()).toEqual(scheduleConfigSchema.parse(a.getConfig()));
  });

  it('scales each group by its own base rate', () => {
    const s = stepLr({ stepSize: 2, gamma: 0.5 });
    expect([s.lr(5, 0.1), s.lr(5, 0.01)]).toEqual([0.1 * 0.25, 0.01 * 0.25]);
  });

  it('accepts custom schedules through makeSchedule and the registry', () => {
    const halving = makeSchedule({ name: 'test-halving' }, (step, base) => base / 2 ** step);
    schedules.register('test-halving', () => halving);
    expect(createSchedule({ name: 'test-halving' }).lr(3, 1)).toBe(0.125);
    expect(() => schedules.register('test-halving', () => halving)).toThrow(/already registered/);
  });
});
