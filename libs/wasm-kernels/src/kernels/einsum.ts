import { backend_util, Einsum, Identity, Sum } from '@tensorflow/tfjs-core';
import type { EinsumAttrs, EinsumInputs, KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { dispose, runShipped, transpose, view } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';
import { batchMatMul } from './batch-mat-mul.js';

/** A tensor during the contraction, with the label (index into `allDims`) of each of its axes. */
interface Operand {
  info: TensorInfo;
  labels: number[];
  /** Whether the kernel made it (and so must free it). */
  owned: boolean;
}

function run(args: { inputs: EinsumInputs; backend: BackendWasm; attrs: EinsumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const tensors = inputs as unknown as TensorInfo[];
  const { allDims, summedDims, idDims } = backend_util.decodeEinsumEquation(attrs.equation, tensors.length);
  backend_util.checkEinsumDimSizes(allDims.length, idDims, tensors as unknown as Tensor[]);
  const outLabels = Array.from({ length: allDims.length - summedDims.length }, (_, i) => i); // in output order
  const ops: Operand[] = tensors.map((info, i) => ({ info, labels: idDims[i], owned: false }));

  // Sum away each label that no other operand and not the output has, then contract the pair.
  const kept = (i: number): Set<number> =>
    new Set([...outLabels, ...ops.filter((_, j) => j !== i).flatMap((o) => o.labels)]);
  for (let i = 0; i < ops.length; i++) ops[i] = sumAway(backend, ops[i], kept(i));
  let result = ops.length === 2 ? contract(backend, ops[0], ops[1], new Set(outLabels)) : ops[0];

  const perm = outLabels.map((l) => result.labels.indexOf(l));
  if (perm.some((p, i) => p !== i)) {
    const moved = transpose(backend, result.info, perm);
    free(backend, result);
    result = { info: moved, labels: outLabels, owned: true };
  }
  // The kernel must return a tensor of its own, never one of its inputs.
  return result.owned ? result.info : runShipped(Identity, backend, { x: result.info });
}

/** `op` with every axis whose label is not in `keep` summed away. */
function sumAway(backend: BackendWasm, op: Operand, keep: Set<number>): Operand {
  const axes = op.labels.flatMap((l, i) => (keep.has(l) ? [] : [i]));
  if (axes.length === 0) return op;
  const info = runShipped(Sum, backend, { x: op.info }, { axis: axes, keepDims: false });
  free(backend, op);
  return { info, labels: op.labels.filter((l) => keep.has(l)), owned: true };
}

/**
 * Contracts two operands as one batched matrix product (XNNPACK when there is no batch label):
 * a -> [batch, freeA, shared], b -> [batch, shared, freeB], giving [batch, freeA, freeB].
 */
function contract(backend: BackendWasm, a: Operand, b: Operand, keep: Set<number>): Operand {
  const inB = new Set(b.labels);
  const batch = a.labels.filter((l) => inB.has(l) && keep.has(l));
  const shared = a.labels.filter((l) => inB.has(l) && !keep.has(l));
  const freeA = a.labels.filter((l) => !inB.has(l));
  const freeB = b.labels.filter((l) => !a.labels.includes(l));
  const size = (op: Operand, labels: number[]): number =>
    labels.reduce((n, l) => n * op.info.shape[op.labels.indexOf(l)], 1);
  const batchSize = size(a, batch);
  const m = size(a, freeA);
  const k = size(a, shared);
  const n = size(b, freeB);
  const a3 = arrange(backend, a, [...batch, ...freeA, ...shared]);
  const b3 = arrange(backend, b, [...batch, ...shared, ...freeB]);
  const product = batchMatMul.kernelFunc({
    inputs: { a: view(a3.info, [batchSize, m, k]), b: view(b3.info, [batchSize, k, n]) },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as TensorInfo;
  for (const [op, arranged] of [[a, a3], [b, b3]] as const) {
    free(backend, arranged);
    if (arranged !== op) free(backend, op);
  }
  const labels = [...batch, ...freeA, ...freeB];
  const shape = labels.map((l) => (a.labels.includes(l) ? size(a, [l]) : size(b, [l])));
  return { info: { ...product, shape }, labels, owned: true };
}

/** `op` with its axes in the order `labels` (a transposed copy unless already so). */
function arrange(backend: BackendWasm, op: Operand, labels: number[]): Operand {
  const perm = labels.map((l) => op.labels.indexOf(l));
  if (perm.every((p, i) => p === i)) return op;
  return { info: transpose(backend, op.info, perm), labels, owned: true };
}

function free(backend: BackendWasm, op: Operand): void {
  if (op.owned) dispose(backend, op.info);
}

/**
 * `Einsum` for wasm, which lacks it (attention written as einsum, bilinear fusion): labels found in
 * one operand only are summed away, and two operands are contracted as one batched matrix product
 * through {@link batchMatMul}, instead of the cpu backend's broadcast multiply of the full outer
 * product. One or two operands, no ellipsis, no repeated label within an operand (as tfjs-core).
 */
export const einsum: KernelConfig = {
  kernelName: Einsum,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
