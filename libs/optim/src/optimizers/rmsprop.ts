import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { decayInto } from './decay-into.js';
import { GradientOptimizer } from './gradient-optimizer.js';
import type { NamedVariables, Optimizer } from './optimizer.js';
import { optimizerSchema } from './optimizer-schema.js';
import type { GroupOptions } from './optimizer-schema.js';
import type { UpdateResult, UpdateRule } from './update-rule.js';

/** The schema of {@link RmspropConfig}. */
export const rmspropConfigSchema = optimizerSchema(
  'rmsprop',
  { lr: 0.01 },
  {
    alpha: z.number().min(0).max(1).default(0.99).describe('Smoothing constant of the squared-gradient average. Default 0.99.'),
    eps: z.number().min(0).default(1e-8).describe('Added to the root of the average, for stability. Default 1e-8.'),
    momentum: z.number().min(0).default(0).describe('Momentum factor; 0 turns momentum off. Default 0.'),
    centered: z.boolean().default(false).describe('Normalize by the estimated variance (subtract the squared mean gradient). Default false.'),
  },
);

/** A parsed RMSprop config (defaults filled). */
export type RmspropConfig = z.output<typeof rmspropConfigSchema>;
/** What {@link rmsprop} accepts: an RMSprop config without `name`, every field optional. */
export type RmspropOptions = Omit<z.input<typeof rmspropConfigSchema>, 'name'>;


const rmspropRule: UpdateRule<GroupOptions<RmspropConfig>> = {
  // torch.optim.RMSprop (1.13, _single_tensor_rmsprop).
  update({ param, grad, slots, lr, options: o }): UpdateResult {
    const squareAvg = decayInto(slots['squareAvg'], o.alpha, tf.mul(tf.mul(grad, 1 - o.alpha), grad));
    const out: Record<string, tf.Tensor> = { squareAvg };
    let avg: tf.Tensor;
    if (o.centered) {
      const gradAvg = decayInto(slots['gradAvg'], o.alpha, tf.mul(grad, 1 - o.alpha));
      out['gradAvg'] = gradAvg;
      avg = tf.sqrt(tf.sub(squareAvg, tf.mul(gradAvg, gradAvg)));
    } else {
      avg = tf.sqrt(squareAvg);
    }
    avg = tf.add(avg, o.eps);
    if (o.momentum > 0) {
      const buf = decayInto(slots['momentumBuffer'], o.momentum, tf.div(grad, avg));
      out['momentumBuffer'] = buf;
      return { param: tf.sub(param, tf.mul(buf, lr)), slots: out };
    }
    return { param: tf.add(param, tf.div(tf.mul(grad, -lr), avg)), slots: out };
  },
};

/**
 * RMSprop (Hinton), plain or centered, with optional momentum, exactly torch.optim.RMSprop:
 * `v = alpha * v + (1 - alpha) * g²`; centered also keeps `m = alpha * m + (1 - alpha) * g` and
 * uses `v - m²`; `d = g / (sqrt(...) + eps)`; with momentum `buf = momentum * buf + d`,
 * `param -= lr * buf`, else `param -= lr * d`.
 *
 * @param params The variables to update, by name.
 * @param options Hyperparameters: lr (default 0.01), alpha (0.99), eps (1e-8), momentum (0),
 *   centered (false), weightDecay (0), decoupledWeightDecay (false), maximize (false), groups, clipNorm, clipValue.
 * @throws ConfigError for invalid options.
 *
 * @example
 * const opt = rmsprop({ w, b }, { lr: 1e-3, centered: true, momentum: 0.9 });
 */
export function rmsprop(params: NamedVariables, options: RmspropOptions = {}): Optimizer {
  const config = loadConfigObject({ ...options, name: 'rmsprop' }, rmspropConfigSchema, { source: 'optim.rmsprop' });
  return new GradientOptimizer(rmspropRule, config, params);
}
