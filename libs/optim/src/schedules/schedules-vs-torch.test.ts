import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReduceLrOnPlateau, applySchedule, createSchedule, sgd } from '@omnitrain/optim';
import { maxRelativeError, readFixture } from '../../test-fixtures/torch-fixtures.js';
import type { SchedulesFixture } from '../../test-fixtures/torch-fixtures.js';

// Oracle: torch.optim.lr_scheduler (1.13) driving two parameter groups (lr 0.1 and 0.03) for 50 steps.
const fixture = readFixture<SchedulesFixture>('schedules.json');
const worst = new Map<string, number>();

/** An SGD optimizer with two one-element groups at the fixture's base rates. */
function twoGroups() {
  const params = { a: tf.variable(tf.scalar(1)), b: tf.variable(tf.scalar(2)) };
  const [lrA, lrB] = fixture.baseLrs as [number, number];
  return { params, opt: sgd(params, { lr: lrB, groups: [{ params: ['a'], lr: lrA }] }) };
}

beforeAll(() => tf.setBackend('cpu'));
afterAll(() => {
  console.log('max relative error vs torch lr_scheduler per case (50 steps, 2 groups):');
  for (const [id, e] of worst) console.log(`  ${id.padEnd(24)} ${e.toExponential(2)}`);
});

describe('schedules match torch.optim.lr_scheduler', () => {
  it.each(fixture.cases.map((c) => [c.id, c] as const))('%s', (id, c) => {
    const { params, opt } = twoGroups();
    const schedule = createSchedule(c.config);
    let err = 0;
    for (let step = 0; step < fixture.steps; step++) {
      err = Math.max(err, maxRelativeError(applySchedule(opt, schedule, step), c.lrs[step]!, 1e-12));
    }
    worst.set(id, err);
    expect(err).toBeLessThanOrEqual(1e-12);
    expect(createSchedule(schedule.getConfig()).getConfig()).toEqual(schedule.getConfig());
    tf.dispose(params);
  });

  it.each(fixture.plateau.map((c) => [c.id, c] as const))('reduce-on-plateau %s', (id, c) => {
    const { params, opt } = twoGroups();
    const plateau = new ReduceLrOnPlateau(c.config);
    let err = 0;
    c.metrics.forEach((metric, step) => {
      err = Math.max(err, maxRelativeError(opt.groups.map((g) => g.lr), c.lrs[step]!, 1e-12));
      plateau.step(metric, opt);
    });
    worst.set(id, err);
    expect(err).toBeLessThanOrEqual(1e-12);
    tf.dispose(params);
  });
});

describe('reduce-on-plateau state', () => {
  it('resumes exactly from exported counters and the optimizer state', () => {
    const c = fixture.plateau[0]!;
    const whole = twoGroups();
    const wholePlateau = new ReduceLrOnPlateau(c.config);
    const first = twoGroups();
    const firstPlateau = new ReduceLrOnPlateau(c.config);
    c.metrics.slice(0, 20).forEach((m) => firstPlateau.step(m, first.opt));
    const second = twoGroups();
    const secondPlateau = ReduceLrOnPlateau.fromConfig(JSON.parse(JSON.stringify(firstPlateau.getConfig())));
    secondPlateau.importState(JSON.parse(JSON.stringify(firstPlateau.exportState())));
    second.opt.importState(first.opt.exportState());
    c.metrics.slice(20).forEach((m) => secondPlateau.step(m, second.opt));
    c.metrics.forEach((m) => wholePlateau.step(m, whole.opt));
    expect(second.opt.groups.map((g) => g.lr)).toEqual(whole.opt.groups.map((g) => g.lr));
    expect(secondPlateau.exportState()).toEqual(wholePlateau.exportState());
    tf.dispose([whole.params, first.params, second.params]);
  });

  it('rejects a minLr list of the wrong length', () => {
    const { params, opt } = twoGroups();
    const plateau = new ReduceLrOnPlateau({ patience: 0, minLr: [0.1, 0.2, 0.3] });
    plateau.step(1, opt);
    expect(() => plateau.step(2, opt)).toThrow(/one minLr per parameter group \(2: group0, default\)/);
    tf.dispose(params);
  });
});
