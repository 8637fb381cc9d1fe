import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, DataError, saveWeights } from '@omnitrain/core';
import { createOptimizer, loadOptimizerState, optimizers, saveOptimizerState } from '@omnitrain/optim';
import type { NamedConfig, Optimizer } from '@omnitrain/optim';
import { Quadratic, readFixture } from '../../test-fixtures/torch-fixtures.js';
import type { OptimizerCase, OptimizersFixture } from '../../test-fixtures/torch-fixtures.js';

// The suite every optimizer passes: each registered one, and every variant of the torch fixture.
const fixture = readFixture<OptimizersFixture>('optimizers.json');
const registered = optimizers.list().filter((name) => !name.startsWith('test-'));
const variants: [string, OptimizerCase][] = [
  ...fixture.cases.filter((c) => !c.schedule).map((c) => [c.id, c] as [string, OptimizerCase]),
  ...registered.map((name) => [`${name} (defaults)`, { id: name, config: { name }, trajectory: { w: [], b: [] } }] as [string, OptimizerCase]),
];
let dir: string;
let problem: Quadratic;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'omnitrain-optim-'));
  problem = new Quadratic(fixture.problem);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function run(opt: Optimizer, params: ReturnType<Quadratic['params']>, c: OptimizerCase, steps: number): void {
  for (let i = 0; i < steps; i++) {
    const grads = problem.grads(params, c);
    opt.applyGradients(grads);
    tf.dispose(grads);
  }
}

describe.each(variants)('optimizer conformance: %s', (id, c) => {
  it('resumes exactly: 25 steps, state through a safetensors file, 25 more == 50 straight', async () => {
    const straight = problem.params();
    const straightOpt = createOptimizer(straight, c.config);
    run(straightOpt, straight, c, 50);

    const first = problem.params();
    const firstOpt = createOptimizer(first, c.config);
    run(firstOpt, first, c, 25);
    const file = join(dir, `${id.replace(/\W+/g, '-')}.safetensors`);
    await saveOptimizerState(file, firstOpt, { step: '25' });
    const second = { w: tf.variable(first.w.clone()), b: tf.variable(first.b.clone()) };
    const secondOpt = createOptimizer(second, JSON.parse(JSON.stringify(firstOpt.getConfig())) as NamedConfig);
    expect(await loadOptimizerState(file, secondOpt)).toMatchObject({ step: '25' });
    expect(secondOpt.iterations).toBe(25);
    run(secondOpt, second, c, 25);

    expect([...second.w.dataSync()]).toEqual([...straight.w.dataSync()]);
    expect([...second.b.dataSync()]).toEqual([...straight.b.dataSync()]);
    for (const o of [straightOpt, firstOpt, secondOpt]) o.dispose();
    tf.dispose([straight, first, second]);
  });

  it('round-trips its config, keeps tensor count flat, and frees its slots on dispose', () => {
    const params = problem.params();
    const before = tf.memory().numTensors;
    const opt = createOptimizer(params, c.config);
    expect(createOptimizer(params, opt.getConfig()).getConfig()).toEqual(opt.getConfig());
    run(opt, params, c, 2);
    const afterTwo = tf.memory().numTensors;
    run(opt, params, c, 3);
    expect(tf.memory().numTensors).toBe(afterTwo);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(params);
  });

  it('skips parameters without a gradient and rejects unknown or misshapen ones', () => {
    const params = problem.params();
    const opt = createOptimizer(params, c.config);
    const b0 = [...params.b.dataSync()];
    const g = problem.grads(params, c);
    opt.applyGradients({ w: g['w']! });
    expect([...params.b.dataSync()]).toEqual(b0);
    expect(opt.exportState().meta.steps).toEqual({ w: 1 });
    expect(() => opt.applyGradients({ v: g['w']! })).toThrow(DataError);
    expect(() => opt.applyGradients({ b: g['w']! })).toThrow(/float32 gradient of shape \[2\], got float32 \[4, 2\]/);
    opt.dispose();
    tf.dispose([params, g]);
  });
});

describe('optimizer state errors', () => {
  it('refuses a state of another optimizer, another parameter set, or a file without one', async () => {
    const params = problem.params();
    const adam = createOptimizer(params, { name: 'adam' });
    const g = problem.grads(params);
    adam.applyGradients(g);
    const state = adam.exportState();
    expect(() => createOptimizer(params, { name: 'sgd' }).importState(state)).toThrow(CheckpointError);
    const other = createOptimizer({ w: params.w }, { name: 'adam' });
    expect(() => other.importState(state)).toThrow(/known parameter/);
    const file = join(dir, 'weights-only.safetensors');
    await saveWeights(file, { w: params.w });
    await expect(loadOptimizerState(file, adam)).rejects.toThrow(/metadata key "omnitrain.optim"/);
    tf.dispose([params, g, state.tensors]);
  });
});
