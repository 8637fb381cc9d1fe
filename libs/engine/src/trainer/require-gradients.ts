import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '@omnitrain/core';

/**
 * Throws unless tfjs's gradient functions are registered. tfjs-core's Node bundle registers none; they come with `@tensorflow/tfjs` (or, under a
 * bundler, tfjs-core's `register_all_gradients`). Without them the first step would fail deep inside
 * the backward pass with "gradient function not found".
 *
 * @param op The operation named in the error.
 * @throws BackendError when gradients are missing, with the import that fixes it.
 *
 * @example
 * requireGradients('engine.Trainer.fit');
 */
export function requireGradients(op: string): void {
  const missing = ['Multiply', 'Sum', 'BatchMatMul'].filter((k) => tf.getGradient(k) === undefined);
  if (missing.length > 0) {
    throw new BackendError({
      op,
      expected: 'tfjs gradient functions registered',
      received: `none for ${missing.join(', ')}`,
      hint: "import '@tensorflow/tfjs' once at the composition root (or '@tensorflow/tfjs-core/dist/register_all_gradients.js' under a bundler)",
    });
  }
}
