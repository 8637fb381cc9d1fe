#!/usr/bin/env node
// The forward convolution (Conv2D) on the BENCHMARKS.md conv shapes: the implicit-GEMM SIMD kernel
// (ours) vs the shipped XNNPACK Conv2D, alternating single calls in one process (median of each).
//   npx tsc -p libs/core/tsconfig.lib.json && npx tsc -p libs/wasm-kernels/tsconfig.lib.json
//   taskset -c 1 node libs/wasm-kernels/bench/conv-forward.mjs
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../dist/index.js';
import { REFERENCE_CONVS } from './conv-shapes.mjs';

await tf.setBackend('wasm');
const shipped = tf.getKernel('Conv2D', 'wasm').kernelFunc;
registerWasmTrainingKernels();
const ours = tf.getKernel('Conv2D', 'wasm').kernelFunc;
const backend = tf.backend();
const info = (t) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
const convs = REFERENCE_CONVS;
console.log('| shape | SIMD ms | XNNPACK ms | XNNPACK / SIMD |');
console.log('|---|---|---|---|');
for (const [label, xs, fs, pad] of convs) {
  const x = tf.randomNormal(xs);
  const w = tf.randomNormal(fs);
  const attrs = { strides: 1, pad, dataFormat: 'NHWC', dilations: 1 };
  const call = (k) => () => backend.disposeData(k({ inputs: { x: info(x), filter: info(w) }, backend, attrs }).dataId);
  const a = call(ours), b = call(shipped);
  for (let i = 0; i < 3; i++) { a(); b(); }
  const ta = [], tb = [];
  for (let r = 0; r < 21; r++) {
    let t0 = performance.now(); a(); ta.push(performance.now() - t0);
    t0 = performance.now(); b(); tb.push(performance.now() - t0);
  }
  ta.sort((p, q) => p - q); tb.sort((p, q) => p - q);
  console.log(`| ${label} | ${ta[10].toFixed(2)} | ${tb[10].toFixed(2)} | ${(tb[10] / ta[10]).toFixed(2)}x |`);
  tf.dispose([x, w]);
}
