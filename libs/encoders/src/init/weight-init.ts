import { z } from 'zod';
import { deriveSeed } from '@omnitrain/core';
import { initializers } from '@tensorflow/tfjs-layers';

/** A tfjs-layers weight initializer. */
export type Initializer = ReturnType<typeof initializers.glorotUniform>;

/** The `seed` field every encoder config has. */
export const seedSchema = z
  .int()
  .nonnegative()
  .optional()
  .describe('Seed of the weight initialization: one seed, one set of initial weights. Default: none (fresh random weights).');

/**
 * Hands out the initializers of one model, in build order. With a seed, the n-th initializer is
 * seeded with `deriveSeed(seed, label, n)`, so the same config builds the same weights; without
 * one, they are tfjs's unseeded defaults.
 *
 * @example
 * const init = new WeightInit(config.seed);
 * layers.conv2d({ filters: 8, kernelSize: 3, kernelInitializer: init.glorot() });
 */
export class WeightInit {
  #count = 0;

  /** @param seed Seed of the whole model; undefined for unseeded initializers. */
  constructor(readonly seed: number | undefined) {}

  /** The next seed, or undefined without a model seed. */
  nextSeed(label: string): number | undefined {
    return this.seed === undefined ? undefined : deriveSeed(this.seed, label, this.#count++);
  }

  /** Glorot-uniform (the tfjs default for conv, dense and RNN kernels). */
  glorot(): Initializer {
    return initializers.glorotUniform({ seed: this.nextSeed('glorot') });
  }

  /** Orthogonal (the tfjs default for GRU/LSTM recurrent kernels). */
  orthogonal(): Initializer {
    return initializers.orthogonal({ seed: this.nextSeed('orthogonal') });
  }

  /** Normal with standard deviation 0.02 (BERT's embedding init). */
  embedding(): Initializer {
    return initializers.randomNormal({ mean: 0, stddev: 0.02, seed: this.nextSeed('embedding') });
  }
}
