import { cast, div, expandDims, maximum, mean, mul, scalar, serialization, sum, tidy } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';

/**
 * Mean over time of the unmasked steps: `sum(x * mask) / max(count, 1)`, so padding never
 * changes the result. The mask is an explicit second input `[batch, time]` (1 = keep) when given,
 * else the incoming tfjs mask; without either it is the plain mean. `[batch, time, dim] -> [batch, dim]`.
 * Pass the mask explicitly after a nested sequence encoder: tfjs does not carry a nested model's
 * output mask.
 *
 * @example
 * const pooled = new MaskedMeanPooling().apply(embedded); // mask comes from TokenEmbedding
 * const pooled2 = new MaskedMeanPooling().apply([encoder.model.apply([ids, attentionMask]), attentionMask]);
 */
export class MaskedMeanPooling extends layers.Layer {
  /** Serialization name. */
  static readonly className = 'OmnitrainMaskedMeanPooling';

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: (number | null)[] | (number | null)[][]): (number | null)[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
    return [shape[0]!, shape[2]!];
  }

  /** The time axis is gone, so no mask continues (tfjs reads null as "no mask", which its typings omit). */
  override computeMask(): Tensor {
    return null as unknown as Tensor;
  }

  override call(inputs: Tensor | Tensor[], kwargs: { mask?: Tensor }): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs; // [batch, time, dim]
      const given = Array.isArray(inputs) && inputs.length > 1 ? inputs[1] : kwargs.mask; // [batch, time]
      if (given == null) return mean(x, 1);
      const mask = expandDims(cast(given, 'float32'), 2); // [batch, time, 1]
      const count = maximum(sum(mask, 1), scalar(1)); // [batch, 1]
      return div(sum(mul(x, mask), 1), count); // [batch, dim]
    });
  }
}
serialization.registerClass(MaskedMeanPooling);
