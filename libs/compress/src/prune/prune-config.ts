import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { DEFAULT_EXCLUDE } from './select-weights.js';

/**
 * The polynomial-decay sparsity schedule of {@link pruneConfigSchema} (TF-MOT's `PolynomialDecay`).
 *
 * @example
 * sparsityScheduleSchema.parse({ endStep: 100 }).power; // 3
 */
export const sparsityScheduleSchema = z.strictObject({
  initialSparsity: z.number().min(0).lt(1).default(0).describe('Sparsity at beginStep. Default 0.'),
  beginStep: z.int().min(0).default(0).describe('Optimizer step at which pruning starts. Default 0.'),
  endStep: z.int().min(0).default(0).describe('Step at which the target sparsity is reached; 0 = prune to the target at once. Default 0.'),
  power: z.number().positive().default(3).describe('Exponent of the decay (3 = TF-MOT default). Default 3.'),
  frequency: z.int().min(1).default(1).describe('Recompute the masks every this many steps (masks are re-applied after every step). Default 1.'),
});

/**
 * How to prune: magnitude pruning of the selected weights to a target sparsity, unstructured
 * (single weights; per layer or one global threshold) or structured (whole output units / filters by
 * L1 or L2 norm), optionally reached gradually with a polynomial-decay schedule during fine-tuning.
 *
 * @example
 * parsePruneConfig({ sparsity: 0.5, structure: 'structured', norm: 'l2' }).scope; // 'layer'
 */
export const pruneConfigSchema = z.strictObject({
  sparsity: z.number().min(0).lt(1).default(0.5).describe('Target fraction of zero weights among the selected ones. Default 0.5.'),
  structure: z.enum(['unstructured', 'structured']).default('unstructured').describe('Single weights, or whole output units (last axis: dense units, conv filters). Default unstructured.'),
  scope: z.enum(['layer', 'global']).default('layer').describe('Unstructured only: a threshold per weight tensor, or one over all selected weights. Default layer.'),
  norm: z.enum(['l1', 'l2']).default('l1').describe('Structured only: the norm that ranks units. Default l1.'),
  include: z.array(z.string().min(1)).default(['*']).describe('Globs of the weights to prune. Default ["*"].'),
  exclude: z.array(z.string().min(1)).default([...DEFAULT_EXCLUDE]).describe(`Globs kept dense. Default ${JSON.stringify(DEFAULT_EXCLUDE)} (biases, norms).`),
  schedule: sparsityScheduleSchema.default(sparsityScheduleSchema.parse({})).describe('When the target is reached during fine-tuning. Default: at once.'),
});

/** A validated {@link pruneConfigSchema}. */
export type PruneConfig = z.output<typeof pruneConfigSchema>;
/** What {@link parsePruneConfig} accepts (defaults filled in). */
export type PruneConfigInput = z.input<typeof pruneConfigSchema>;
/** A validated {@link sparsityScheduleSchema}. */
export type SparsitySchedule = z.output<typeof sparsityScheduleSchema>;

/**
 * Validates a prune config, filling defaults.
 * @param input The config (plain JSON).
 * @param source Where it came from, for errors. Default `compress.prune`.
 * @throws ConfigError naming the field.
 *
 * @example
 * parsePruneConfig({ sparsity: 0.8, scope: 'global' });
 */
export function parsePruneConfig(input: unknown, source = 'compress.prune'): PruneConfig {
  return loadConfigObject(input ?? {}, pruneConfigSchema, { source });
}
