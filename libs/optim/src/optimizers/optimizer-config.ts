import { z } from 'zod';
import { adagradConfigSchema } from './adagrad.js';
import { adamConfigSchema } from './adam.js';
import { adamwConfigSchema } from './adamw.js';
import { rmspropConfigSchema } from './rmsprop.js';
import { sgdConfigSchema } from './sgd.js';

/**
 * The schema of {@link OptimizerConfig}: one of the built-in optimizers' configs, chosen by `name`
 * (sgd, adagrad, rmsprop, adam, adamw), each with its documented defaults.
 *
 * @example
 * optimizerConfigSchema.parse({ name: 'adamw', lr: 3e-4 }).weightDecay; // 0.01
 */
export const optimizerConfigSchema = z
  .discriminatedUnion('name', [sgdConfigSchema, adagradConfigSchema, rmspropConfigSchema, adamConfigSchema, adamwConfigSchema])
  .describe('Optimizer: its name, hyperparameters, parameter groups and gradient clipping.');

/** A parsed built-in optimizer config (defaults filled). */
export type OptimizerConfig = z.output<typeof optimizerConfigSchema>;
/** What a user writes for an optimizer: {@link OptimizerConfig} with defaulted fields optional. */
export type OptimizerConfigInput = z.input<typeof optimizerConfigSchema>;
