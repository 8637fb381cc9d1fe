import { Rng, deriveSeed } from '@omnitrain/core';

/**
 * The order in which epoch `epoch` visits `size` samples: a permutation drawn from
 * `Rng.stream(deriveSeed(seed, epoch), { purpose: 'shuffle' })`, the same on every rank and
 * computable for any epoch without drawing the earlier ones.
 *
 * @param size Number of samples.
 * @param seed The run's seed.
 * @param epoch The epoch, from 0.
 * @param shuffle When false, the identity order 0..size-1. Default true.
 * @example epochPermutation(5, 42, 0) // e.g. Int32Array [3, 0, 4, 1, 2]
 */
export function epochPermutation(size: number, seed: number, epoch: number, shuffle = true): Int32Array {
  if (!shuffle) return Int32Array.from({ length: size }, (_, i) => i);
  return Rng.stream(deriveSeed(seed, epoch), { purpose: 'shuffle' }).permutation(size);
}
