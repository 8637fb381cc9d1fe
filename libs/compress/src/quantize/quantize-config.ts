import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { DEFAULT_EXCLUDE } from '../prune/select-weights.js';

/**
 * How to quantize weights after training: int8, symmetric (zero-point 0, range ±127) or asymmetric
 * (a zero-point, range -128..127), one scale per tensor or per output channel (last axis).
 *
 * @example
 * parseQuantizeConfig({ granularity: 'per-channel' }).scheme; // 'symmetric'
 */
export const quantizeConfigSchema = z.strictObject({
  dtype: z.literal('int8').default('int8').describe('Integer type of the stored weights. Default int8.'),
  scheme: z.enum(['symmetric', 'asymmetric']).default('symmetric').describe('symmetric: q = round(x / s); asymmetric: q = round(x / s) + z. Default symmetric.'),
  granularity: z.enum(['per-tensor', 'per-channel']).default('per-tensor').describe('One scale per tensor, or per output channel (the last axis). Default per-tensor.'),
  include: z.array(z.string().min(1)).default(['*']).describe('Globs of the weights to quantize (tensors of rank >= 2 only). Default ["*"].'),
  exclude: z.array(z.string().min(1)).default([...DEFAULT_EXCLUDE]).describe(`Globs kept float32. Default ${JSON.stringify(DEFAULT_EXCLUDE)}.`),
});

/** A validated {@link quantizeConfigSchema}. */
export type QuantizeConfig = z.output<typeof quantizeConfigSchema>;
/** What {@link parseQuantizeConfig} accepts. */
export type QuantizeConfigInput = z.input<typeof quantizeConfigSchema>;

/**
 * Validates a quantize config, filling defaults.
 * @param input The config (plain JSON).
 * @param source Where it came from, for errors. Default `compress.quantize`.
 * @throws ConfigError naming the field.
 *
 * @example
 * parseQuantizeConfig({ scheme: 'asymmetric' });
 */
export function parseQuantizeConfig(input: unknown, source = 'compress.quantize'): QuantizeConfig {
  return loadConfigObject(input ?? {}, quantizeConfigSchema, { source });
}
