// Gaussian blobs with a known Bayes accuracy, and in-memory Batch/Eval sources over them.
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@omnitrain/core';
import { EpochSampler } from '@omnitrain/data';
import type { SamplerState } from '@omnitrain/data';
import type { Batch, BatchSource, EvalSource, TrainBatch } from '@omnitrain/engine';

/** A labelled dataset held in typed arrays. */
export interface Blobs {
  x: Float32Array; // [n, dims]
  y: Int32Array; // [n]
  n: number;
  dims: number;
  classes: number;
}

/**
 * n samples of `classes` isotropic unit-variance Gaussians in `dims` dimensions; class c has mean
 * `means[c]`. For two classes the Bayes accuracy is Φ(‖m0 - m1‖ / 2).
 */
export function gaussianBlobs(n: number, means: number[][], seed: number): Blobs {
  const rng = Rng.fromSeed(seed);
  const dims = means[0]!.length;
  const x = new Float32Array(n * dims);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(0, means.length - 1);
    y[i] = c;
    for (let d = 0; d < dims; d++) x[i * dims + d] = means[c]![d]! + rng.normal();
  }
  return { x, y, n, dims, classes: means.length };
}

/** The standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function batchOf(data: Blobs, indices: ArrayLike<number>): Batch {
  const k = indices.length;
  const x = new Float32Array(k * data.dims);
  const y = new Int32Array(k);
  for (let i = 0; i < k; i++) {
    const j = indices[i]!;
    x.set(data.x.subarray(j * data.dims, (j + 1) * data.dims), i * data.dims);
    y[i] = data.y[j]!;
  }
  return { inputs: { x: tf.tensor2d(x, [k, data.dims]) }, labels: tf.tensor1d(y, 'int32'), size: k, ids: Array.from(indices, String) };
}

/** Options of {@link blobSource}. */
export interface BlobSourceOptions {
  batchSize: number;
  seed: number;
  rank?: number;
  worldSize?: number;
}

/** A resumable BatchSource over `data` (data's EpochSampler underneath); counts the batches it made. */
export function blobSource(data: Blobs, o: BlobSourceOptions): BatchSource & { made: number } {
  const opts = { size: data.n, batchSize: o.batchSize, rank: o.rank ?? 0, worldSize: o.worldSize ?? 1 };
  let sampler = new EpochSampler({ ...opts, seed: o.seed });
  const source = {
    made: 0,
    batchesPerEpoch: () => sampler.batchesPerEpoch(),
    async *epoch(): AsyncGenerator<TrainBatch> {
      for (const rb of sampler.epochBatches()) {
        source.made += 1;
        yield { ...batchOf(data, rb.indices), epoch: rb.epoch, weight: rb.weight, resumeState: rb.resumeState };
      }
    },
    getState: () => sampler.getState(),
    setState(state: SamplerState) {
      sampler = EpochSampler.fromState(state, opts);
    },
    reshard(rank: number, worldSize: number) {
      Object.assign(opts, { rank, worldSize });
      sampler = EpochSampler.fromState(sampler.getState(), opts);
    },
  };
  return source;
}

/** An EvalSource over `data` in index order. */
export function blobEvalSource(data: Blobs, batchSize: number): EvalSource {
  return {
    size: data.n,
    async *batches() {
      for (let s = 0; s < data.n; s += batchSize) {
        yield batchOf(data, Array.from({ length: Math.min(batchSize, data.n - s) }, (_, i) => s + i));
      }
    },
  };
}
