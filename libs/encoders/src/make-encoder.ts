import { model } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { Encoder, EncoderOutput } from './encoder.js';

/** The parts an encoder builder supplies to {@link makeEncoder}. */
export interface EncoderParts<C extends { name: string }> {
  /** The validated config, defaults applied. */
  config: C;
  /** The model's inputs by name (`images`, `ids`, `attentionMask`), in feeding order. */
  inputs: Record<string, SymbolicTensor>;
  /** The features: `[batch, dim]` or `[batch, time, dim]`. */
  output: SymbolicTensor;
  /** Pooled or sequence output. Default `'pooled'`. */
  kind?: EncoderOutput;
}

/**
 * Wraps a built graph as an {@link Encoder}: makes the `LayersModel` and reads the dims off the
 * symbolic shapes, so builders only describe layers.
 *
 * @example
 * const x = input({ shape: [8] }); return makeEncoder({ config, inputs: { features: x }, output: dense.apply(x) });
 */
export function makeEncoder<C extends { name: string }>(parts: EncoderParts<C>): Encoder<C> {
  const { config, inputs, output, kind = 'pooled' } = parts;
  const symbolic = Object.values(inputs);
  // No fixed model name: two encoders of one kind must nest in the same fusion model.
  const net = model({ inputs: symbolic, outputs: output });
  const frozen = structuredClone(config);
  return {
    name: config.name,
    model: net,
    inputs: Object.entries(inputs).map(([name, x]) => ({
      name,
      shape: x.shape.slice(1) as number[],
      dtype: x.dtype === 'int32' ? 'int32' : 'float32',
    })),
    outputDim: output.shape[output.shape.length - 1] as number,
    output: kind,
    getConfig: () => structuredClone(frozen),
  };
}
