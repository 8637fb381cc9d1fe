#!/usr/bin/env node
// The SIMD GEMM (assembly/gemm.ts) vs XNNPACK (the shipped BatchMatMul, operands pre-transposed) and
// the JS blocked loop on the training models' matrix shapes, same process, interleaved.
//   taskset -c 1 node libs/wasm-kernels/bench/gemm.mjs
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { simdModule, heapOffset } from '../dist/simd-module.js';
import { gemmWasmBase64 } from '../dist/generated/gemm-wasm.js';

await tf.setBackend('wasm');
const backend = tf.backend();
const shippedMM = tf.getKernel('BatchMatMul', 'wasm').kernelFunc;
const { gemmBatched } = simdModule(backend, gemmWasmBase64);
function medianMs(fn, reps = 21) {
  fn(); fn();
  const ts = [];
  for (let i = 0; i < reps; i++) { const t0 = performance.now(); fn(); ts.push(performance.now() - t0); }
  ts.sort((a, b) => a - b);
  return ts[reps >> 1];
}
const info = (t) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
// [label, batch, m, k, n, transA, transB]
const shapes = [
  ['mlp fwd 128x784 * 784x512', 1, 128, 784, 512, false, false],
  ['mlp fwd 128x512 * 512x512', 1, 128, 512, 512, false, false],
  ['mlp dW x^T dy 784x128 * 128x512', 1, 784, 128, 512, true, false],
  ['mlp dx dy W^T 128x512 * 512x784', 1, 128, 512, 784, false, true],
  ['tfm dW 64x2048 * 2048x256 (x^T dy)', 1, 64, 2048, 256, true, false],
  ['tfm fwd 2048x64 * 64x256', 1, 2048, 64, 256, false, false],
  ['attn QK^T [128] 32x32 * 32x32^T', 128, 32, 32, 32, false, true],
  ['attn PV [128] 32x32 * 32x32', 128, 32, 32, 32, false, false],
  ['attn dS^T Q [128] 32x32^T * 32x32', 128, 32, 32, 32, true, false],
  ['gru 64x64 * 64x192', 1, 64, 64, 192, false, false],
];
console.log('| shape | SIMD ms | XNNPACK (+transposes) ms | ratio | SIMD GFLOP/s |');
console.log('|---|---|---|---|---|');
for (const [label, batch, m, k, n, tA, tB] of shapes) {
  const a = tf.randomNormal(tA ? [batch, k, m] : [batch, m, k]);
  const b = tf.randomNormal(tB ? [batch, n, k] : [batch, k, n]);
  const out = tf.zeros([batch, m, n]);
  const scratch = tf.zeros([(Math.ceil(n / 8) * 8) * k + 32]);
  const simd = () => gemmBatched(heapOffset(backend, a), heapOffset(backend, b), heapOffset(backend, out), heapOffset(backend, scratch), batch,
    m, k, n, tA ? 1 : k, tA ? m : 1, tB ? 1 : n, tB ? k : 1, m * k, k * n);
  const xnn = () => {
    const aa = tA ? tf.transpose(a, [0, 2, 1]) : a;
    const bb = tB ? tf.transpose(b, [0, 2, 1]) : b;
    const o = shippedMM({ inputs: { a: info(aa), b: info(bb) }, backend, attrs: { transposeA: false, transposeB: false } });
    backend.disposeData(o.dataId);
    if (tA) aa.dispose();
    if (tB) bb.dispose();
  };
  // check
  simd();
  const ref = tf.matMul(a, b, tA, tB).dataSync();
  const got = out.dataSync();
  let e = 0, s = 0;
  for (let i = 0; i < ref.length; i++) { e = Math.max(e, Math.abs(ref[i] - got[i])); s = Math.max(s, Math.abs(ref[i])); }
  // Alternate single calls (the machine is shared: both see the same load), median of each.
  for (let i = 0; i < 3; i++) { simd(); xnn(); }
  const s1 = [], s2 = [];
  for (let r = 0; r < 41; r++) {
    let t0 = performance.now(); simd(); s1.push(performance.now() - t0);
    t0 = performance.now(); xnn(); s2.push(performance.now() - t0);
  }
  s1.sort((x, y) => x - y); s2.sort((x, y) => x - y);
  const ts = s1[20], tx = s2[20];
  console.log(`| ${label} | ${ts.toFixed(3)} | ${tx.toFixed(3)} | ${(tx / ts).toFixed(2)}x | ${(2 * batch * m * k * n / ts / 1e6).toFixed(1)} | relerr ${(e / s).toExponential(1)}`);
  tf.dispose([a, b, out, scratch]);
}
