import * as tf from '@tensorflow/tfjs-core';
import type { PruneConfig } from './prune-config.js';
import { selectWeights } from './select-weights.js';

const OP = 'compress.magnitudeMasks';

/**
 * Masks (float32 0/1, the weight's shape) that zero the smallest-magnitude weights: for each selected
 * weight (config `include`/`exclude`), exactly `round(sparsity * n)` weights (unstructured, `scope:
 * 'layer'`), `round(sparsity * N)` over all selected weights (`scope: 'global'`), or the
 * `round(sparsity * units)` output units with the smallest L1/L2 norm (structured; the last axis is
 * the output axis, as in tfjs dense `[in, out]` and conv `[h, w, in, out]` kernels). Ties break by
 * position, so the count is exact. Unselected weights get no mask.
 *
 * @param weights Weights by name (read, not changed).
 * @param config A parsed prune config ({@link parsePruneConfig}).
 * @param sparsity The sparsity to reach now. Default `config.sparsity`.
 * @returns Masks by weight name; the caller disposes them.
 * @throws ConfigError when an include glob matches no weight.
 *
 * @example
 * const masks = magnitudeMasks(model.variables, parsePruneConfig({ sparsity: 0.5 }));
 */
export function magnitudeMasks(
  weights: Readonly<Record<string, tf.Tensor>>,
  config: PruneConfig,
  sparsity: number = config.sparsity,
): Record<string, tf.Tensor> {
  // Like TF-MOT, only kernels (rank >= 2) are pruned; 1-D weights (biases, scales, learned vectors) stay.
  const names = selectWeights(Object.keys(weights), { include: config.include, exclude: config.exclude, op: OP }).filter((n) => weights[n]!.rank >= 2);
  const data = new Map(names.map((n) => [n, weights[n]!.dataSync() as Float32Array]));
  const keep = new Map<string, Uint8Array>();
  if (config.structure === 'structured') {
    for (const n of names) keep.set(n, unitMask(data.get(n)!, weights[n]!.shape.at(-1)!, sparsity, config.norm));
  } else if (config.scope === 'global') {
    const all = concat(names.map((n) => data.get(n)!));
    const kept = smallestPruned(all, sparsity);
    let at = 0;
    for (const n of names) {
      const len = data.get(n)!.length;
      keep.set(n, kept.subarray(at, at + len));
      at += len;
    }
  } else {
    for (const n of names) keep.set(n, smallestPruned(data.get(n)!, sparsity));
  }
  return Object.fromEntries(names.map((n) => [n, tf.tensor(Float32Array.from(keep.get(n)!), weights[n]!.shape, 'float32')]));
}

/** 1 = kept, 0 = pruned: the `round(sparsity * n)` smallest |values| (ties by position) are pruned. */
function smallestPruned(values: Float32Array, sparsity: number): Uint8Array {
  return pruneSmallest(Float64Array.from(values, Math.abs), Math.round(sparsity * values.length));
}

function pruneSmallest(scores: Float64Array, k: number): Uint8Array {
  const keep = new Uint8Array(scores.length).fill(1);
  if (k <= 0) return keep;
  // The k-th smallest score is the threshold (a native numeric sort); below it all go, at it the first by position.
  const threshold = Float64Array.from(scores).sort()[k - 1]!;
  let pruned = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]! < threshold) {
      keep[i] = 0;
      pruned++;
    }
  }
  for (let i = 0; i < scores.length && pruned < k; i++) {
    if (scores[i] === threshold) {
      keep[i] = 0;
      pruned++;
    }
  }
  return keep;
}

/** Structured: the units (last axis, `units` of them) with the smallest norms are pruned whole. */
function unitMask(values: Float32Array, units: number, sparsity: number, norm: 'l1' | 'l2'): Uint8Array {
  const norms = new Float64Array(units);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    norms[i % units] += norm === 'l1' ? Math.abs(v) : v * v;
  }
  const keptUnits = pruneSmallest(norms, Math.round(sparsity * units));
  return Uint8Array.from(values, (_, i) => keptUnits[i % units]!);
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
