// Test-only encoders, registered in @omnitrain/encoders' registry: the pure-JS cpu backend trains
// conv and embedding layers 10-100x slower than dense ones (its Conv2DBackpropFilter and
// UnsortedSegmentSum), so the training test uses dense encoders to stay within seconds.
import { z } from 'zod';
import { input, layers } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { loadConfigObject } from '@omnitrain/core';
import { encoders, makeEncoder } from '@omnitrain/encoders';

const denseSchema = z.strictObject({
  name: z.literal('test-dense'),
  inputShape: z.array(z.int().positive()).min(1),
  units: z.int().positive().default(32),
  seed: z.int().nonnegative().optional(),
});

const bagSchema = z.strictObject({
  name: z.literal('test-bag'),
  vocabSize: z.int().positive(),
  sequenceLength: z.int().positive(),
  units: z.int().positive().default(32),
  seed: z.int().nonnegative().optional(),
});

/** Registers `test-dense` (flatten -> dense relu) and `test-bag` (token counts -> dense relu) once. */
export function registerTinyEncoders(): void {
  if (encoders.list().includes('test-dense')) return;
  encoders.register('test-dense', (options: unknown) => {
    const config = loadConfigObject(options, denseSchema);
    const x = input({ shape: config.inputShape });
    const flat = layers.flatten().apply(x) as SymbolicTensor;
    const out = layers.dense({ units: config.units, activation: 'relu' }).apply(flat) as SymbolicTensor;
    return makeEncoder({ config, inputs: { features: x }, output: out });
  });
  encoders.register('test-bag', (options: unknown) => {
    const config = loadConfigObject(options, bagSchema);
    const ids = input({ shape: [config.sequenceLength], dtype: 'int32' });
    const mask = input({ shape: [config.sequenceLength], dtype: 'int32' });
    const counts = layers.categoryEncoding({ numTokens: config.vocabSize, outputMode: 'count' }).apply(ids) as SymbolicTensor;
    const out = layers.dense({ units: config.units, activation: 'relu' }).apply(counts) as SymbolicTensor;
    return makeEncoder({ config, inputs: { ids, attentionMask: mask }, output: out });
  });
}
