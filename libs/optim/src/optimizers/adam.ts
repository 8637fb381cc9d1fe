import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { decayInto } from './decay-into.js';
import { fusedAdamUpdate } from './fused-adam-update.js';
import { GradientOptimizer } from './gradient-optimizer.js';
import type { NamedVariables, Optimizer } from './optimizer.js';
import { optimizerSchema } from './optimizer-schema.js';
import type { GroupOptions } from './optimizer-schema.js';
import type { UpdateResult, UpdateRule } from './update-rule.js';

/** Adam's own hyperparameters (shared with AdamW). */
export const adamHyperparameters = {
  beta1: z.number().min(0).lt(1).default(0.9).describe('Decay of the gradient average (torch betas[0]). Default 0.9.'),
  beta2: z.number().min(0).lt(1).default(0.999).describe('Decay of the squared-gradient average (torch betas[1]). Default 0.999.'),
  eps: z.number().min(0).default(1e-8).describe('Added to the denominator, for stability. Default 1e-8.'),
  amsgrad: z.boolean().default(false).describe('AMSGrad: normalize by the running maximum of the squared-gradient average. Default false.'),
};

/** The schema of {@link AdamConfig}. */
export const adamConfigSchema = optimizerSchema('adam', { lr: 1e-3 }, adamHyperparameters);

/** A parsed Adam config (defaults filled). */
export type AdamConfig = z.output<typeof adamConfigSchema>;
/** What {@link adam} accepts: an Adam config without `name`, every field optional. */
export type AdamOptions = Omit<z.input<typeof adamConfigSchema>, 'name'>;

/**
 * Adam's update (torch 1.13 _single_tensor_adam); AdamW is the same rule with decoupled weight decay.
 * One fused kernel per parameter where the backend has it (wasm with @omnitrain/wasm-kernels: see
 * {@link fusedAdamUpdate}), else ~10 element-wise ops; both give the same float32 results.
 */
export const adamRule: UpdateRule<GroupOptions<AdamConfig>> = {
  update(ctx): UpdateResult {
    const fused = fusedAdamUpdate(ctx);
    if (fused !== undefined) return fused;
    const { param, grad, slots, step, lr, options: o } = ctx;
    const m = decayInto(slots['expAvg'], o.beta1, tf.mul(grad, 1 - o.beta1));
    const v = decayInto(slots['expAvgSq'], o.beta2, tf.mul(tf.mul(grad, 1 - o.beta2), grad));
    const stepSize = lr / (1 - o.beta1 ** step);
    const correction2Sqrt = Math.sqrt(1 - o.beta2 ** step);
    const out: Record<string, tf.Tensor> = { expAvg: m, expAvgSq: v };
    let second = v;
    if (o.amsgrad) {
      const prevMax = slots['maxExpAvgSq'];
      second = prevMax === undefined ? v : tf.maximum(prevMax, v);
      out['maxExpAvgSq'] = second;
    }
    const denom = tf.add(tf.div(tf.sqrt(second), correction2Sqrt), o.eps);
    return { param: tf.add(param, tf.div(tf.mul(m, -stepSize), denom)), slots: out };
  },
};


/**
 * Adam (Kingma & Ba), optionally AMSGrad, exactly torch.optim.Adam: `m = b1 m + (1 - b1) g`,
 * `v = b2 v + (1 - b2) g²` (AMSGrad: `v̂ = max(v̂, v)`), `param -= lr / (1 - b1^t) * m /
 * (sqrt(v) / sqrt(1 - b2^t) + eps)`. Weight decay is coupled (L2 added to the gradient) unless
 * `decoupledWeightDecay`, which makes it AdamW (see {@link adamw}).
 *
 * @param params The variables to update, by name.
 * @param options Hyperparameters: lr (default 1e-3), beta1 (0.9), beta2 (0.999), eps (1e-8),
 *   amsgrad (false), weightDecay (0), decoupledWeightDecay (false), maximize (false), groups,
 *   clipNorm, clipValue.
 * @throws ConfigError for invalid options.
 *
 * @example
 * const opt = adam({ w, b }, { lr: 3e-4, groups: [{ params: ['encoder/*'], lr: 3e-5 }] });
 */
export function adam(params: NamedVariables, options: AdamOptions = {}): Optimizer {
  const config = loadConfigObject({ ...options, name: 'adam' }, adamConfigSchema, { source: 'optim.adam' });
  return new GradientOptimizer(adamRule, config, params);
}
