#!/usr/bin/env node
// The forward convolution (Conv2D) on the BENCHMARKS.md conv shapes: the implicit-GEMM SIMD kernel
// (ours) vs the shipped XNNPACK Conv2D, alternating single calls in one process (median of each).
//   npx tsc -p libs/core/tsconfig.lib.json && npx tsc -p libs/wasm-kernels/tsconfig.lib.json
//   taskset -c 1 node libs/wasm-kernels/bench/conv-forward.mjs
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../dist/index.js';

await tf.setBackend('wasm');
const shipped = tf.getKernel('Conv2D', 'wasm').kernelFunc;
registerWasmTrainingKernels();
const ours = tf.getKernel('Conv2D', 'wasm').kernelFunc;
const backend = tf.backend();
const info = (t) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
const convs = [
  ['cnn conv1 [128,28,28,1] 3x3x16 valid', [128, 28, 28, 1], [3, 3, 1, 16], 'valid'],
  ['cnn conv2 [128,13,13,16] 3x3x32 valid', [128, 13, 13, 16], [3, 3, 16, 32], 'valid'],
  ['audio2d conv1 [64,64,64,1] 3x3x16 same', [64, 64, 64, 1], [3, 3, 1, 16], 'same'],
  ['audio2d conv2 [64,32,32,16] 3x3x32 same', [64, 32, 32, 16], [3, 3, 16, 32], 'same'],
  ['audio2d conv3 [64,16,16,32] 3x3x64 same', [64, 16, 16, 32], [3, 3, 32, 64], 'same'],
  ['audio1d conv1 [64,64,64] k3x128 same', [64, 1, 64, 64], [1, 3, 64, 128], 'same'],
  ['audio1d conv2 [64,32,128] k3x128 same', [64, 1, 32, 128], [1, 3, 128, 128], 'same'],
];
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
