// Test helpers: the PyTorch reference fixtures written by tools/fixtures/optim-torch.py, and the
// quadratic their optimizer trajectories were computed on.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; the umbrella package would, at the cost of loading layers etc.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { l1l2Penalty } from '@omnitrain/optim';
import type { NamedConfig, NamedVariables } from '@omnitrain/optim';

/** One optimizer run of optimizers.json. */
export interface OptimizerCase {
  id: string;
  config: NamedConfig;
  objective?: 'negated';
  penalty?: { l1?: number; l2?: number };
  schedule?: NamedConfig;
  /** Parameters after each step (flattened). */
  trajectory: { w: number[][]; b: number[][] };
  /** Each group's learning rate used at each step (schedule cases). */
  lrs?: number[][];
}

/** optimizers.json: the problem and one trajectory per optimizer case. */
export interface OptimizersFixture {
  torch: string;
  steps: number;
  problem: { w: number[][]; b: number[]; cw: number[][]; cb: number[]; hw: number[][]; hb: number[] };
  cases: OptimizerCase[];
}

/** schedules.json: learning rates of two groups per schedule case and reduce-on-plateau case. */
export interface SchedulesFixture {
  steps: number;
  baseLrs: number[];
  cases: { id: string; config: NamedConfig; lrs: number[][] }[];
  plateau: { id: string; config: Record<string, unknown>; metrics: number[]; lrs: number[][] }[];
}

/** clipping.json: three gradients and their clipped values per clipping case. */
export interface ClippingFixture {
  grads: { shape: number[]; values: number[] }[];
  cases: (
    | { kind: 'norm'; maxNorm: number; normType: number | 'inf'; totalNorm: number; clipped: number[][] }
    | { kind: 'value'; clipValue: number; clipped: number[][] }
  )[];
}

/** Reads libs/optim/test-fixtures/<name>. */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as T;
}

/**
 * The largest `|actual - expected| / max(|expected|, floor)` over the elements: relative error,
 * with an absolute floor for values near zero.
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor: number): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i]!;
    worst = Math.max(worst, Math.abs(actual[i]! - e) / Math.max(Math.abs(e), floor));
  }
  return worst;
}

/**
 * The fixture's problem `0.5 * Σ hw (w - cw)² + 0.5 * Σ hb (b - cb)²` with fresh variables at its
 * starting point; its gradient is rounded exactly as torch's autograd rounds it.
 */
export class Quadratic {
  readonly #t: Record<'cw' | 'cb' | 'hw' | 'hb', tf.Tensor>;

  constructor(private readonly problem: OptimizersFixture['problem']) {
    this.#t = { cw: tf.tensor2d(problem.cw), cb: tf.tensor1d(problem.cb), hw: tf.tensor2d(problem.hw), hb: tf.tensor1d(problem.hb) };
  }

  /** New variables `w` [4, 2] and `b` [2] at the starting point. */
  params(): { w: tf.Variable; b: tf.Variable } {
    return { w: tf.variable(tf.tensor2d(this.problem.w)), b: tf.variable(tf.tensor1d(this.problem.b)) };
  }

  /** The objective of a case: the quadratic, plus the case's penalty on w, negated if asked. */
  loss(w: tf.Tensor, b: tf.Tensor, c: Pick<OptimizerCase, 'objective' | 'penalty'> = {}): tf.Scalar {
    const { cw, cb, hw, hb } = this.#t;
    const half = (h: tf.Tensor, p: tf.Tensor, target: tf.Tensor) => tf.mul(tf.sum(tf.mul(h, tf.square(tf.sub(p, target)))), 0.5);
    let loss: tf.Scalar = tf.add(half(hw, w, cw), half(hb, b, cb));
    if (c.penalty) loss = tf.add(loss, l1l2Penalty([w], c.penalty));
    return c.objective === 'negated' ? tf.neg(loss) : loss;
  }

  /** Gradients of {@link Quadratic.loss} by name; the caller disposes them. */
  grads(params: NamedVariables, c: Pick<OptimizerCase, 'objective' | 'penalty'> = {}): tf.NamedTensorMap {
    const [dw, db] = tf.grads((w: tf.Tensor, b: tf.Tensor) => this.loss(w, b, c))([params['w']!, params['b']!]);
    return { w: dw!, b: db! };
  }
}
