#!/usr/bin/env node
// Conv2DBackpropFilter on the BENCHMARKS.md conv shapes: the direct SIMD kernel vs the former
// im2col + XNNPACK product vs the forward conv (XNNPACK Conv2D, same FLOPs), in one process, interleaved.
//   npx tsc -p libs/core/tsconfig.lib.json && npx tsc -p libs/wasm-kernels/tsconfig.lib.json
//   taskset -c 1 node libs/wasm-kernels/bench/conv-filter.mjs [filter]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, setConv2dBackpropFilterAlgorithm } from '../dist/index.js';
import { REFERENCE_CONVS } from './conv-shapes.mjs';

const only = process.argv.slice(2).find((a) => !a.startsWith('--'));
registerWasmTrainingKernels();
await tf.setBackend('wasm');
const backend = tf.backend();
const info = (t) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
function medianMs(fn, reps) {
  fn(); fn();
  const ts = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}
const convs = REFERENCE_CONVS;
const filterK = tf.getKernel('Conv2DBackpropFilter', 'wasm').kernelFunc;
const convK = tf.getKernel('Conv2D', 'wasm').kernelFunc;
console.log('| shape | direct SIMD ms | im2col+XNNPACK ms | speedup | forward Conv2D ms | direct / forward | GFLOP/s direct |');
console.log('|---|---|---|---|---|---|---|');
for (const [label, xs, fs, pad] of convs) {
  if (only && !label.includes(only)) continue;
  const x = tf.randomNormal(xs);
  const w = tf.randomNormal(fs);
  const dy = tf.randomNormal(tf.conv2d(x, w, 1, pad).shape);
  const attrs = { strides: 1, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: fs };
  const run = (algo) => () => {
    setConv2dBackpropFilterAlgorithm(algo);
    const out = filterK({ inputs: { x: info(x), dy: info(dy) }, backend, attrs });
    backend.disposeData(out.dataId);
  };
  const fwd = () => {
    const out = convK({ inputs: { x: info(x), filter: info(w) }, backend, attrs: { strides: 1, pad, dataFormat: 'NHWC', dilations: 1 } });
    backend.disposeData(out.dataId);
  };
  const reps = 15;
  let d = Infinity, i2c = Infinity, f = Infinity;
  for (let round = 0; round < 3; round++) { // interleaved rounds, best median of each
    d = Math.min(d, medianMs(run('direct'), reps));
    i2c = Math.min(i2c, medianMs(run('im2col'), reps));
    f = Math.min(f, medianMs(fwd, reps));
  }
  setConv2dBackpropFilterAlgorithm('direct');
  const flops = 2 * dy.size * fs[0] * fs[1] * fs[2];
  console.log(`| ${label} | ${d.toFixed(2)} | ${i2c.toFixed(2)} | ${(i2c / d).toFixed(2)}x | ${f.toFixed(2)} | ${(d / f).toFixed(2)} | ${(flops / d / 1e6).toFixed(1)} |`);
  tf.dispose([x, w, dy]);
}
