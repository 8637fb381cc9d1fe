import { z } from 'zod';
import { layers } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { WeightInit, seedSchema } from '../init/weight-init.js';

/** Activations a conv stack may use (tfjs-layers names). */
export const CONV_ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'swish'] as const;

/** Defaults that differ between the image and audio conv stacks. */
export interface ConvStackDefaults {
  filters: number[];
  padding: 'valid' | 'same';
  poolLast: boolean;
  head: 'flatten' | 'global-avg' | 'global-max';
}

/**
 * The zod fields of a stack of conv blocks (conv -> batch norm -> activation -> pool -> dropout),
 * shared by the image CNN and the audio conv encoders; `defaults` sets the fields they disagree on.
 *
 * @example
 * const schema = z.strictObject({ name: z.literal('cnn'), ...convStackShape({ filters: [16, 32], ... }) });
 */
export function convStackShape(defaults: ConvStackDefaults) {
  return {
    filters: z
      .array(z.int().positive())
      .min(1)
      .default(defaults.filters)
      .describe(`Output channels of each conv block, in order. Default [${defaults.filters.join(', ')}].`),
    kernelSize: z.int().positive().default(3).describe('Kernel size (square in 2D). Default 3.'),
    padding: z
      .enum(['valid', 'same'])
      .default(defaults.padding)
      .describe(`Conv padding. Default "${defaults.padding}".`),
    activation: z.enum(CONV_ACTIVATIONS).default('relu').describe('Activation after each conv. Default "relu".'),
    batchNorm: z
      .boolean()
      .default(false)
      .describe('Batch norm after each conv (the conv then has no bias). Default false.'),
    pool: z.enum(['max', 'avg', 'none']).default('max').describe('Pooling after each block. Default "max".'),
    poolSize: z.int().positive().default(2).describe('Pool window and stride. Default 2.'),
    poolLast: z
      .boolean()
      .default(defaults.poolLast)
      .describe(`Whether the last block pools too. Default ${defaults.poolLast}.`),
    dropout: z.number().min(0).max(1).default(0).describe('Dropout rate after each block. Default 0.'),
    head: z
      .enum(['flatten', 'global-avg', 'global-max'])
      .default(defaults.head)
      .describe(`How the last feature map becomes a vector. Default "${defaults.head}".`),
    seed: seedSchema,
  };
}

const conv = { 1: layers.conv1d, 2: layers.conv2d } as const;
const maxPool = { 1: layers.maxPooling1d, 2: layers.maxPooling2d } as const;
const avgPool = { 1: layers.averagePooling1d, 2: layers.averagePooling2d } as const;
const globalAvg = { 1: layers.globalAveragePooling1d, 2: layers.globalAveragePooling2d } as const;
const globalMax = { 1: layers.globalMaxPooling1d, 2: layers.globalMaxPooling2d } as const;

/** A parsed conv stack config (the fields of {@link convStackShape}). */
export type ConvStackConfig = z.output<z.ZodObject<ReturnType<typeof convStackShape>>>;

/**
 * Applies the conv blocks of `config` to `x` and reduces the result to `[batch, dim]`.
 *
 * @param x `[batch, time, channels]` (rank 1) or `[batch, height, width, channels]` (rank 2).
 * @param config The stack's fields.
 * @param rank 1 for conv1d over time, 2 for conv2d.
 * @returns `[batch, dim]`.
 */
export function applyConvStack(x: SymbolicTensor, config: ConvStackConfig, rank: 1 | 2): SymbolicTensor {
  const init = new WeightInit(config.seed);
  const last = config.filters.length - 1;
  config.filters.forEach((filters, i) => {
    x = conv[rank]({
      filters,
      kernelSize: config.kernelSize,
      padding: config.padding,
      useBias: !config.batchNorm,
      kernelInitializer: init.glorot(),
    }).apply(x) as SymbolicTensor;
    if (config.batchNorm) x = layers.batchNormalization().apply(x) as SymbolicTensor;
    x = layers.activation({ activation: config.activation }).apply(x) as SymbolicTensor;
    if (config.pool !== 'none' && (i < last || config.poolLast)) {
      const pool = config.pool === 'max' ? maxPool[rank] : avgPool[rank];
      x = pool({ poolSize: config.poolSize, padding: 'valid' }).apply(x) as SymbolicTensor;
    }
    if (config.dropout > 0) x = layers.dropout({ rate: config.dropout }).apply(x) as SymbolicTensor;
  });
  if (config.head === 'flatten') return layers.flatten().apply(x) as SymbolicTensor;
  const pool = config.head === 'global-avg' ? globalAvg[rank] : globalMax[rank];
  return pool({}).apply(x) as SymbolicTensor;
}
