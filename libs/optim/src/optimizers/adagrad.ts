import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { GradientOptimizer } from './gradient-optimizer.js';
import type { NamedVariables, Optimizer } from './optimizer.js';
import { optimizerSchema } from './optimizer-schema.js';
import type { GroupOptions } from './optimizer-schema.js';
import type { UpdateResult, UpdateRule } from './update-rule.js';

/** The schema of {@link AdagradConfig}. */
export const adagradConfigSchema = optimizerSchema(
  'adagrad',
  { lr: 0.01 },
  {
    lrDecay: z.number().min(0).default(0).describe('Learning-rate decay: step t uses lr / (1 + (t - 1) * lrDecay). Default 0.'),
    initialAccumulatorValue: z.number().min(0).default(0).describe('Starting value of the sum of squared gradients. Default 0.'),
    eps: z.number().min(0).default(1e-10).describe('Added to the root of the sum, for stability. Default 1e-10.'),
  },
);

/** A parsed AdaGrad config (defaults filled). */
export type AdagradConfig = z.output<typeof adagradConfigSchema>;
/** What {@link adagrad} accepts: an AdaGrad config without `name`, every field optional. */
export type AdagradOptions = Omit<z.input<typeof adagradConfigSchema>, 'name'>;

const adagradRule: UpdateRule<GroupOptions<AdagradConfig>> = {
  // torch.optim.Adagrad (1.13, _single_tensor_adagrad), dense gradients.
  update({ param, grad, slots, step, lr, options: o }): UpdateResult {
    const clr = lr / (1 + (step - 1) * o.lrDecay);
    const prev = slots['sum'] ?? tf.fill(param.shape, o.initialAccumulatorValue);
    const sum = tf.add(prev, tf.mul(grad, grad));
    const std = tf.add(tf.sqrt(sum), o.eps);
    return { param: tf.add(param, tf.div(tf.mul(grad, -clr), std)), slots: { sum } };
  },
};

/**
 * AdaGrad (Duchi et al.), exactly torch.optim.Adagrad: `sum += g²`,
 * `param -= lr / (1 + (t - 1) * lrDecay) * g / (sqrt(sum) + eps)`.
 *
 * @param params The variables to update, by name.
 * @param options Hyperparameters: lr (default 0.01), lrDecay (0), initialAccumulatorValue (0),
 *   eps (1e-10), weightDecay (0), decoupledWeightDecay (false), maximize (false), groups, clipNorm, clipValue.
 * @throws ConfigError for invalid options.
 *
 * @example
 * const opt = adagrad({ embedding }, { lr: 0.1, initialAccumulatorValue: 0.1 });
 */
export function adagrad(params: NamedVariables, options: AdagradOptions = {}): Optimizer {
  const config = loadConfigObject({ ...options, name: 'adagrad' }, adagradConfigSchema, { source: 'optim.adagrad' });
  return new GradientOptimizer(adagradRule, config, params);
}
