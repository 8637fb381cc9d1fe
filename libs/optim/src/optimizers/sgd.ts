import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { GradientOptimizer } from './gradient-optimizer.js';
import type { NamedVariables, Optimizer } from './optimizer.js';
import { optimizerSchema } from './optimizer-schema.js';
import type { GroupOptions } from './optimizer-schema.js';
import type { UpdateResult, UpdateRule } from './update-rule.js';

/** The schema of {@link SgdConfig}. */
export const sgdConfigSchema = optimizerSchema(
  'sgd',
  { lr: 0.01 },
  {
    momentum: z.number().min(0).default(0).describe('Momentum factor; 0 is plain SGD. Default 0.'),
    dampening: z.number().min(0).max(1).default(0).describe('Dampening of the momentum: buf = momentum * buf + (1 - dampening) * grad. Default 0.'),
    nesterov: z.boolean().default(false).describe('Nesterov momentum (needs momentum > 0 and dampening 0). Default false.'),
  },
);

/** A parsed SGD config (defaults filled). */
export type SgdConfig = z.output<typeof sgdConfigSchema>;
/** What {@link sgd} accepts: an SGD config without `name`, every field optional. */
export type SgdOptions = Omit<z.input<typeof sgdConfigSchema>, 'name'>;

const sgdRule: UpdateRule<GroupOptions<SgdConfig>> = {
  // torch.optim.SGD (1.13, _single_tensor_sgd): the buffer starts as a copy of the first gradient.
  update({ param, grad, slots, lr, options: o }): UpdateResult {
    if (o.momentum === 0) return { param: tf.sub(param, tf.mul(grad, lr)), slots: {} };
    const prev = slots['momentumBuffer'];
    const buf = prev === undefined ? tf.clone(grad) : tf.add(tf.mul(prev, o.momentum), tf.mul(grad, 1 - o.dampening));
    const d = o.nesterov ? tf.add(grad, tf.mul(buf, o.momentum)) : buf;
    return { param: tf.sub(param, tf.mul(d, lr)), slots: { momentumBuffer: buf } };
  },
  check: (o) =>
    o.nesterov && (o.momentum <= 0 || o.dampening !== 0)
      ? `nesterov needs momentum > 0 and dampening 0, got momentum ${o.momentum}, dampening ${o.dampening}`
      : undefined,
};

/**
 * Stochastic gradient descent with optional momentum, dampening and Nesterov momentum, exactly
 * torch.optim.SGD: `buf = momentum * buf + (1 - dampening) * g` (buf = g at the first step),
 * `d = nesterov ? g + momentum * buf : buf`, `param -= lr * d`. Momentum SGD and Nesterov are
 * configurations of it. Full-batch, mini-batch and stochastic (one-sample) gradient descent are the
 * same optimizer fed gradients of the whole set, a batch, or one sample: choose the data config's
 * `batchSize` (the training set's size, e.g. 32, or 1), not another optimizer.
 *
 * @param params The variables to update, by name.
 * @param options Hyperparameters: lr (default 0.01), momentum (0), dampening (0), nesterov (false),
 *   weightDecay (0, coupled unless decoupledWeightDecay), maximize (false), groups, clipNorm, clipValue.
 * @throws ConfigError for invalid options (listing every issue).
 *
 * @example
 * const opt = sgd({ w, b }, { lr: 0.1, momentum: 0.9, nesterov: true });
 * opt.applyGradients({ w: dw, b: db });
 */
export function sgd(params: NamedVariables, options: SgdOptions = {}): Optimizer {
  const config = loadConfigObject({ ...options, name: 'sgd' }, sgdConfigSchema, { source: 'optim.sgd' });
  return new GradientOptimizer(sgdRule, config, params);
}
