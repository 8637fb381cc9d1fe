#!/usr/bin/env node
// The fused GRU (assembly/gru.ts through OmnitrainGruSequence / ...Grad) vs the same GRU as separate
// tfjs ops on wasm with our kernels (what tfjs-layers and the unfused benchmark model run), forward +
// backward of the BENCHMARKS.md gru layer (T 32, B 64, U 64), same process, interleaved; and the share
// of the fused time spent in the recurrent products (32 x [64, 64] x [64, 192] forward, twice that backward).
//   npx tsc -p libs/wasm-kernels/tsconfig.lib.json && taskset -c 1 node libs/wasm-kernels/bench/gru.mjs
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, fusedGruSequence } from '../dist/index.js';
import { simdModule, heapOffset } from '../dist/simd-module.js';
import { gemmWasmBase64 } from '../dist/generated/gemm-wasm.js';

registerWasmTrainingKernels();
await tf.setBackend('wasm');
const backend = tf.backend();

function medianMs(fn, reps = 15) {
  // Warm up for a second: V8 first runs wasm functions in its baseline compiler and moves a function
  // to optimized code only when it is called again after enough work (100 ms calls at first).
  for (const t0 = performance.now(); performance.now() - t0 < 1000;) fn();
  const ts = [];
  for (let i = 0; i < reps; i++) { const t0 = performance.now(); fn(); ts.push(performance.now() - t0); }
  ts.sort((a, b) => a - b);
  return ts[reps >> 1];
}

/** The GRU as separate ops (reset after, sigmoid: the benchmark's). */
function unfused({ x, h0, kernel, bias }) {
  const [T] = x.shape;
  const xs = tf.unstack(x);
  let h = h0;
  const out = [];
  for (let t = 0; t < T; t++) {
    const [hr, hz, hn] = tf.split(tf.add(tf.matMul(h, kernel), bias), 3, 1);
    const [xr, xz, xn] = tf.split(xs[t], 3, 1);
    const r = tf.sigmoid(tf.add(xr, hr));
    const z = tf.sigmoid(tf.add(xz, hz));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    h = tf.add(n, tf.mul(z, tf.sub(h, n)));
    out.push(h);
  }
  return tf.stack(out);
}

const [T, B, U] = [32, 64, 64];
const x = tf.randomNormal([T, B, 3 * U]);
const h0 = tf.zeros([B, U]);
const kernel = tf.randomUniform([U, 3 * U], -0.125, 0.125);
const bias = tf.zeros([3 * U]);
const mask = tf.ones([T, B]);
const dy = tf.randomNormal([T, B, U]);
const step = (gru, attrs) => () =>
  tf.tidy(() => {
    const g = tf.grads((xv, k, b) => tf.sum(tf.mul(gru({ x: xv, h0, kernel: k, bias: b, mask }, attrs), dy)))([x, kernel, bias]);
    g[0].dataSync();
  });
const forward = (gru, attrs) => () => tf.tidy(() => {
  gru({ x, h0, kernel, bias, mask }, attrs).dataSync(); // (a tidy returning the array would walk all its elements)
});

const { gemm } = simdModule(backend, gemmWasmBase64);
const a = tf.randomNormal([B, U]);
const out = tf.zeros([B, 3 * U]);
const scratch = tf.zeros([3 * U * U + 32]); // B packed in 8-column panels + one tile
const products = () => {
  for (let t = 0; t < 3 * T; t++) gemm(heapOffset(backend, a), heapOffset(backend, kernel), heapOffset(backend, out), heapOffset(backend, scratch), B, U, 3 * U, U, 1, 3 * U, 1);
};

const rows = [];
for (let round = 0; round < 1; round++) {
  const pt = { resetAfter: true, recurrentActivation: 'sigmoid' };
  const keras = { resetAfter: false, recurrentActivation: 'hardSigmoid' };
  rows.length = 0;
  rows.push(['separate tfjs ops, forward + backward', medianMs(step(unfused, pt), 5)]);
  rows.push(['fused (PyTorch layout), forward + backward', medianMs(step(fusedGruSequence, pt))]);
  rows.push(['fused (Keras layout, hard sigmoid), forward + backward', medianMs(step(fusedGruSequence, keras))]);
  rows.push(['fused (PyTorch layout), forward only', medianMs(forward(fusedGruSequence, pt))]);
  rows.push(['its 96 recurrent products [64, 64] x [64, 192] alone', medianMs(products)]);
}
console.log(`GRU layer T ${T}, B ${B}, U ${U} on wasm (median ms)`);
console.log('| what | ms | vs separate ops |');
console.log('|---|---:|---:|');
for (const [label, ms] of rows) console.log(`| ${label} | ${ms.toFixed(2)} | ${(rows[0][1] / ms).toFixed(1)}x |`);
