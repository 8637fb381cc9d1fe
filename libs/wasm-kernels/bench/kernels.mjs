#!/usr/bin/env node
// Per-kernel timing of @omnitrain/wasm-kernels on the BENCHMARKS.md shapes: our kernel vs the
// shipped wasm kernel it replaces (if any) vs the cpu backend (what tfjs would fall back to).
// Usage (after `npm run build -w @omnitrain/wasm-kernels`), pinned to one core:
//   taskset -c 1 node libs/wasm-kernels/bench/kernels.mjs [--no-cpu] [filter]
// `filter` keeps the rows whose kernel or shape contains it (e.g. Conv2DBackpropFilter, audio2d).
// The cpu fallback takes seconds to minutes per call: `--no-cpu` skips it, and the largest conv
// shapes always skip it (printed as '-').
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../dist/index.js';

const args = process.argv.slice(2);
const withCpu = !args.includes('--no-cpu');
const only = args.find((a) => !a.startsWith('--'));
await tf.setBackend('wasm');
const backend = tf.backend();
// The shipped kernels we replace, captured after their setup ran and before we replace them.
const shippedKernels = Object.fromEntries(['BatchMatMul', 'Conv2DBackpropInput', 'MaxPoolGrad'].map((k) => [k, tf.getKernel(k, 'wasm')]));
registerWasmTrainingKernels();

const info = (t) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
/** Mean milliseconds per call of `fn` over at least `minMs`, after `warmups` calls. */
function time(label, fn, minMs = 300, warmups = 2) {
  for (let i = 0; i < warmups; i++) fn();
  let reps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) {
    fn();
    reps++;
  }
  const ms = (performance.now() - t0) / reps;
  console.error(`${label.padEnd(70)} ${ms.toFixed(3)} ms`);
  return ms;
}
/** Runs a kernel function and frees its output. */
function runK(backend, kernelFunc, inputs, attrs) {
  const out = kernelFunc({ inputs, backend, attrs });
  backend.disposeData(out.dataId);
}
const rows = [];
async function bench(label, kernel, make, attrs, { cpu = true, shipped = false } = {}) {
  if (only && !label.includes(only) && !kernel.includes(only)) return;
  await tf.setBackend('wasm');
  const ins = make();
  const inputs = Object.fromEntries(Object.entries(ins).map(([k, v]) => [k, info(v)]));
  const ours = time(`${kernel} ${label} ours`, () => runK(backend, tf.getKernel(kernel, 'wasm').kernelFunc, inputs, attrs));
  let sh = null, cp = null;
  if (shipped) sh = time(`${kernel} ${label} shipped`, () => runK(backend, shippedKernels[kernel].kernelFunc, inputs, attrs));
  if (cpu && withCpu) {
    const host = Object.fromEntries(Object.entries(ins).map(([k, v]) => [k, [v.dataSync().slice(), v.shape, v.dtype]]));
    await tf.setBackend('cpu');
    const cb = tf.backend();
    const cins = Object.fromEntries(Object.entries(host).map(([k, [d, s, t]]) => [k, info(tf.tensor(d, s, t))]));
    cp = time(`${kernel} ${label} cpu fallback`, () => runK(cb, tf.getKernel(kernel, 'cpu').kernelFunc, cins, attrs), 1, 0); // seconds each: one call
    await tf.setBackend('wasm');
  }
  rows.push({ kernel, label, ours, shipped: sh, cpu: cp });
}
const R = (s) => tf.randomNormal(s);
const convs = [
  ['cnn conv1 [128,28,28,1] 3x3x16 valid', [128, 28, 28, 1], [3, 3, 1, 16], 1, 'valid'],
  ['cnn conv2 [128,13,13,16] 3x3x32 valid', [128, 13, 13, 16], [3, 3, 16, 32], 1, 'valid'],
  ['audio2d conv1 [64,64,64,1] 3x3x16 same', [64, 64, 64, 1], [3, 3, 1, 16], 1, 'same'],
  ['audio2d conv2 [64,32,32,16] 3x3x32 same', [64, 32, 32, 16], [3, 3, 16, 32], 1, 'same'],
  ['audio2d conv3 [64,16,16,32] 3x3x64 same', [64, 16, 16, 32], [3, 3, 32, 64], 1, 'same'],
  ['audio1d conv1 [64,64,64] k3x128 same', [64, 1, 64, 64], [1, 3, 64, 128], 1, 'same'],
  ['audio1d conv2 [64,32,128] k3x128 same', [64, 1, 32, 128], [1, 3, 128, 128], 1, 'same'],
  ['stride 2 [32,32,32,16] 3x3x32 same', [32, 32, 32, 16], [3, 3, 16, 32], 2, 'same'],
];
for (const [label, xs, fs, s, pad] of convs) {
  const yShape = tf.conv2d(tf.zeros(xs), tf.zeros(fs), s, pad).shape;
  const attrs = { strides: s, pad, dataFormat: 'NHWC', filterShape: fs, inputShape: xs };
  const big = label.startsWith('audio2d conv2') || label.startsWith('audio2d conv3');
  await bench(label, 'Conv2DBackpropFilter', () => ({ x: R(xs), dy: R(yShape) }), attrs, { cpu: !big });
  if (!label.includes('conv1 [')) await bench(label, 'Conv2DBackpropInput', () => ({ dy: R(yShape), filter: R(fs) }), attrs, { shipped: true, cpu: !big });
}
for (const [label, as, bs, ta, tb] of [
  ['mlp dW = x^T dy [784,128]x[128,512]', [128, 784], [128, 512], true, false],
  ['mlp dx = dy W^T [128,512]x[512,784]', [128, 512], [784, 512], false, true],
  ['attention q k^T [128,32,32]', [128, 32, 32], [128, 32, 32], false, true],
  ['attention dV = P^T dC [128,32,32]', [128, 32, 32], [128, 32, 32], true, false],
  ['dense on [64,32,64] -> 256', [64, 32, 64], [64, 256], false, false],
]) await bench(label, 'BatchMatMul', () => ({ a: R(as), b: R(bs) }), { transposeA: ta, transposeB: tb }, { shipped: true });
for (const [label, xs, f, s] of [
  ['cnn pool1 [128,26,26,16] 2x2', [128, 26, 26, 16], 2, 2],
  ['audio2d pool1 [64,64,64,16] 2x2', [64, 64, 64, 16], 2, 2],
  ['audio1d pool [64,1,64,128] 1x2', [64, 1, 64, 128], [1, 2], [1, 2]],
]) {
  const attrs = { filterSize: f, strides: s, pad: 'valid' };
  await bench(label, 'MaxPoolGrad', () => { const x = R(xs); const y = tf.maxPool(x, f, s, 'valid'); return { dy: R(y.shape), input: x, output: y }; }, attrs, { shipped: true });
}
for (const [label, rows_, d, vocab] of [['gru embedding [64*32,64] vocab 1000', 2048, 64, 1000]]) {
  await bench(label, 'UnsortedSegmentSum', () => ({ x: R([rows_, d]), segmentIds: tf.randomUniform([rows_], 0, vocab, 'int32') }), { numSegments: vocab });
}
for (const [label, xs, m, s] of [['[64,32,32,32] 3x3 x1 same', [64, 32, 32, 32], 1, 1], ['[32,16,16,16] 3x3 x2 stride 2', [32, 16, 16, 16], 2, 2]]) {
  const fs = [3, 3, xs[3], m];
  const yShape = tf.depthwiseConv2d(tf.zeros(xs), tf.zeros(fs), s, 'same').shape;
  const attrs = { strides: s, dilations: 1, pad: 'same', filterShape: fs, inputShape: xs };
  await bench(label, 'DepthwiseConv2dNativeBackpropFilter', () => ({ x: R(xs), dy: R(yShape) }), attrs);
  await bench(label, 'DepthwiseConv2dNativeBackpropInput', () => ({ dy: R(yShape), filter: R(fs) }), attrs);
}
for (const [label, eq, shapes] of [
  ['attention scores bhqd,bhkd->bhqk [64,2,32,32]', 'bhqd,bhkd->bhqk', [[64, 2, 32, 32], [64, 2, 32, 32]]],
  ['dense abj,jk->abk [64,32,64]x[64,256]', 'abj,jk->abk', [[64, 32, 64], [64, 256]]],
]) {
  if (only && !label.includes(only) && !'Einsum'.includes(only)) continue;
  const ts = shapes.map(R);
  const ours = time(`Einsum ${label} ours`, () => runK(backend, tf.getKernel('Einsum', 'wasm').kernelFunc, ts.map(info), { equation: eq }));
  let cp = null;
  if (withCpu) {
    await tf.setBackend('cpu');
    const cts = shapes.map((s, i) => tf.tensor(ts[i].dataSync(), s));
    const cb = tf.backend();
    cp = time(`Einsum ${label} cpu fallback`, () => runK(cb, tf.getKernel('Einsum', 'cpu').kernelFunc, cts.map(info), { equation: eq }), 1, 0);
    await tf.setBackend('wasm');
  }
  rows.push({ kernel: 'Einsum', label, ours, shipped: null, cpu: cp });
}
console.log('\n| kernel | shape | ours ms | shipped wasm ms | cpu fallback ms | vs shipped | vs cpu |\n|---|---|---|---|---|---|---|');
const f = (v) => (v == null ? '-' : v.toFixed(2));
for (const r of rows) console.log(`| ${r.kernel} | ${r.label} | ${f(r.ours)} | ${f(r.shipped)} | ${f(r.cpu)} | ${r.shipped ? (r.shipped / r.ours).toFixed(1) + 'x' : '-'} | ${r.cpu ? (r.cpu / r.ours).toFixed(0) + 'x' : '-'} |`);
