import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { input, layers } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { Encoder } from '../encoder.js';
import { makeEncoder } from '../make-encoder.js';
import { WeightInit, seedSchema } from '../init/weight-init.js';

/** The schema of the ResNet-style encoder's config. */
export const resnetEncoderSchema = z.strictObject({
  name: z.literal('resnet'),
  inputShape: z
    .tuple([z.int().positive(), z.int().positive(), z.int().positive()])
    .describe('[height, width, channels] of one image. Required.'),
  width: z.int().positive().default(16).describe('Channels of the stem and the first stage; each stage doubles it. Default 16.'),
  stages: z
    .array(z.int().positive())
    .min(1)
    .default([2, 2, 2])
    .describe('Residual blocks per stage (the depth); every stage after the first halves the resolution. Default [2, 2, 2].'),
  normalization: z.enum(['batch', 'none']).default('batch').describe('Normalization after each conv. Default "batch".'),
  stemKernel: z.int().positive().default(3).describe('Kernel size of the stem conv. Default 3.'),
  seed: seedSchema,
});

/** A parsed ResNet encoder config. */
export type ResnetEncoderConfig = z.output<typeof resnetEncoderSchema>;
/** What {@link resnetEncoder} accepts. */
export type ResnetEncoderOptions = Omit<z.input<typeof resnetEncoderSchema>, 'name'>;

/** Conv (no bias when normalized) then the configured normalization; `[b, h, w, c] -> [b, h/stride, w/stride, filters]`. */
function convNorm(
  x: SymbolicTensor,
  filters: number,
  kernelSize: number,
  strides: number,
  config: ResnetEncoderConfig,
  init: WeightInit,
): SymbolicTensor {
  const norm = config.normalization === 'batch';
  const y = layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: !norm, kernelInitializer: init.glorot() })
    .apply(x) as SymbolicTensor;
  return norm ? (layers.batchNormalization().apply(y) as SymbolicTensor) : y;
}

/** A basic residual block (two 3x3 convs); the shortcut is a 1x1 projection when the shape changes. */
function basicBlock(
  x: SymbolicTensor,
  filters: number,
  strides: number,
  config: ResnetEncoderConfig,
  init: WeightInit,
): SymbolicTensor {
  let y = convNorm(x, filters, 3, strides, config, init);
  y = layers.reLU().apply(y) as SymbolicTensor;
  y = convNorm(y, filters, 3, 1, config, init);
  const inChannels = x.shape[3];
  const shortcut = strides !== 1 || inChannels !== filters ? convNorm(x, filters, 1, strides, config, init) : x;
  return layers.reLU().apply(layers.add().apply([y, shortcut]) as SymbolicTensor) as SymbolicTensor;
}

/**
 * A ResNet-style image encoder: conv stem, stages of basic residual blocks (channels doubling and
 * resolution halving per stage), global average pooling. Input `[batch, height, width, channels]`,
 * output `[batch, width * 2^(stages - 1)]`.
 *
 * @param options inputShape (required); width 16, stages [2, 2, 2], normalization "batch", stemKernel 3.
 * @throws ConfigError for invalid options.
 *
 * @example
 * resnetEncoder({ inputShape: [32, 32, 3], stages: [1, 1] }).outputDim; // 32
 */
export function resnetEncoder(options: ResnetEncoderOptions): Encoder<ResnetEncoderConfig> {
  const config = loadConfigObject({ ...options, name: 'resnet' }, resnetEncoderSchema, { source: 'encoders.resnet' });
  const images = input({ shape: config.inputShape }); // [batch, height, width, channels]
  const init = new WeightInit(config.seed);
  let x = layers.reLU().apply(convNorm(images, config.width, config.stemKernel, 1, config, init)) as SymbolicTensor;
  config.stages.forEach((blocks, stage) => {
    const filters = config.width * 2 ** stage;
    for (let b = 0; b < blocks; b++) x = basicBlock(x, filters, stage > 0 && b === 0 ? 2 : 1, config, init);
  });
  const features = layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor; // [batch, filters]
  return makeEncoder({ config, inputs: { images }, output: features });
}
