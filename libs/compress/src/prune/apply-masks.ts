import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@omnitrain/core';

/**
 * Multiplies each masked variable by its mask in place (pruned weights become exactly 0).
 *
 * @param variables The model's variables by name.
 * @param masks 0/1 masks by variable name ({@link magnitudeMasks}); variables without a mask stay.
 * @throws ConfigError when a mask names no variable or has another shape.
 *
 * @example
 * applyMasks(model.variables, magnitudeMasks(model.variables, config));
 */
export function applyMasks(variables: Readonly<Record<string, tf.Variable>>, masks: Readonly<Record<string, tf.Tensor>>): void {
  for (const [name, mask] of Object.entries(masks)) {
    const v = variables[name];
    if (v === undefined || v.shape.join(',') !== mask.shape.join(',')) {
      throw new ConfigError({
        op: 'compress.applyMasks',
        expected: `a variable "${name}" of shape [${mask.shape}]`,
        received: v === undefined ? 'no such variable' : `shape [${v.shape}]`,
        hint: 'compute the masks from the same model',
      });
    }
    tf.tidy(() => v.assign(tf.mul(v, mask)));
  }
}
