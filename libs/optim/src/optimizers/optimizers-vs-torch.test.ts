import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySchedule, createOptimizer, createSchedule } from '@omnitrain/optim';
import { Quadratic, maxRelativeError, readFixture } from '../../test-fixtures/torch-fixtures.js';
import type { OptimizersFixture } from '../../test-fixtures/torch-fixtures.js';

// Oracle: torch.optim (1.13, float32) on the same quadratic, 50 steps, every step compared.
const fixture = readFixture<OptimizersFixture>('optimizers.json');
const TOLERANCE = 1e-6;
const FLOOR = 1e-3; // parameters stay in 0.2..1.5 in magnitude; the floor is a guard
const worst = new Map<string, number>();
let problem: Quadratic;

beforeAll(async () => {
  await tf.setBackend('cpu');
  problem = new Quadratic(fixture.problem);
});
afterAll(() => {
  console.log(`max relative error vs torch ${fixture.torch} per case (50 steps):`);
  for (const [id, e] of worst) console.log(`  ${id.padEnd(30)} ${e.toExponential(2)}`);
});

describe('optimizers match torch.optim step by step', () => {
  it.each(fixture.cases.map((c) => [c.id, c] as const))('%s', (id, c) => {
    const params = problem.params();
    const opt = createOptimizer(params, c.config);
    const schedule = c.schedule ? createSchedule(c.schedule) : undefined;
    let err = 0;
    for (let step = 0; step < fixture.steps; step++) {
      if (schedule) {
        const lrs = applySchedule(opt, schedule, step);
        err = Math.max(err, maxRelativeError(lrs, c.lrs![step]!, 1e-12));
      }
      const grads = problem.grads(params, c);
      opt.applyGradients(grads);
      tf.dispose(grads);
      err = Math.max(err, maxRelativeError(params.w.dataSync(), c.trajectory.w[step]!, FLOOR));
      err = Math.max(err, maxRelativeError(params.b.dataSync(), c.trajectory.b[step]!, FLOOR));
    }
    worst.set(id, err);
    expect(err).toBeLessThanOrEqual(TOLERANCE);
    opt.dispose();
    tf.dispose(params);
  });
});
