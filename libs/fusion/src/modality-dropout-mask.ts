import type { Rng } from '@omnitrain/core';

/**
 * Draws which modalities each sample keeps under modality dropout: each is dropped with
 * probability `p`, and when a sample would lose all of them one (chosen at random) is kept.
 *
 * @param rng The head's seeded dropout stream (advanced by the draw).
 * @param batch Number of samples.
 * @param modalities Number of modalities.
 * @param p Drop probability in [0, 1].
 * @returns `[batch, modalities]`, row-major, 1 = kept.
 *
 * @example modalityDropoutMask(Rng.fromSeed(0), 64, 3, 0.3) // Float32Array(192) of 0/1
 */
export function modalityDropoutMask(rng: Rng, batch: number, modalities: number, p: number): Float32Array {
  const keep = new Float32Array(batch * modalities);
  for (let b = 0; b < batch; b++) {
    let kept = 0;
    for (let m = 0; m < modalities; m++) {
      const k = rng.bernoulli(p) ? 0 : 1;
      keep[b * modalities + m] = k;
      kept += k;
    }
    if (kept === 0) keep[b * modalities + rng.int(0, modalities - 1)] = 1;
  }
  return keep;
}
