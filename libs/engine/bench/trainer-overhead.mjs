// Trainer overhead: samples/s of Trainer.fit vs a bare loop (variableGrads + applyGradients) on the
// same model, batches and backend, measured in the same run. The reference mlp of BENCHMARKS.md:
// 784 -> 512 relu -> 512 relu -> 10, batch 128, Adam 1e-3.
// Run after building the libs: `taskset -c 0 node libs/engine/bench/trainer-overhead.mjs [wasm|cpu] [steps]`.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs'; // registers the gradient functions (tfjs-core's Node bundle has none)
import { createOptimizer } from '@omnitrain/optim';
import { Trainer } from '@omnitrain/engine';

const backend = process.argv[2] ?? 'wasm';
const steps = Number(process.argv[3] ?? 40);
await tf.setBackend(backend);
const [B, D, H, K] = [128, 784, 512, 10];

function mlp() {
  const v = {
    'l1/w': tf.variable(tf.randomNormal([D, H], 0, 0.05, 'float32', 1)), 'l1/b': tf.variable(tf.zeros([H])),
    'l2/w': tf.variable(tf.randomNormal([H, H], 0, 0.05, 'float32', 2)), 'l2/b': tf.variable(tf.zeros([H])),
    'l3/w': tf.variable(tf.randomNormal([H, K], 0, 0.05, 'float32', 3)), 'l3/b': tf.variable(tf.zeros([K])),
  };
  const forward = (x) => tf.tidy(() => {
    const h1 = tf.relu(tf.add(tf.matMul(x, v['l1/w']), v['l1/b']));
    const h2 = tf.relu(tf.add(tf.matMul(h1, v['l2/w']), v['l2/b']));
    return tf.add(tf.matMul(h2, v['l3/w']), v['l3/b']);
  });
  return { name: 'mlp', variables: v, numClasses: K, forward: (b) => forward(b.inputs.x), getConfig: () => ({ name: 'mlp' }), dispose: () => tf.dispose(Object.values(v)) };
}
const xs = new Float32Array(B * D).map(() => Math.random());
const ys = new Int32Array(B).map(() => Math.floor(Math.random() * K));
const batch = () => ({ inputs: { x: tf.tensor2d(xs, [B, D]) }, labels: tf.tensor1d(ys, 'int32'), size: B });

async function bare() {
  const m = mlp();
  const opt = createOptimizer(m.variables, { name: 'adam', lr: 1e-3 });
  const names = new Map(Object.entries(m.variables).map(([n, v]) => [v.name, n]));
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    const b = batch();
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(tf.oneHot(b.labels, K), m.forward(b)), Object.values(m.variables));
    value.dataSync();
    opt.applyGradients(Object.fromEntries(Object.entries(grads).map(([n, g]) => [names.get(n), g])));
    tf.dispose([value, ...Object.values(grads), b.inputs.x, b.labels]);
  }
  const sps = (steps * B) / ((performance.now() - t0) / 1000);
  m.dispose();
  opt.dispose();
  return sps;
}

async function trainer() {
  const m = mlp();
  const opt = createOptimizer(m.variables, { name: 'adam', lr: 1e-3 });
  const state = { epoch: 0, position: 0, seed: 0, size: steps * B };
  const source = {
    batchesPerEpoch: () => steps,
    async *epoch() { for (let s = 0; s < steps; s++) yield { ...batch(), epoch: 0, weight: 1, resumeState: state }; },
    getState: () => state,
    setState() {},
  };
  let split = { dataMs: 0, computeMs: 0, allReduceMs: 0, optimizerMs: 0, totalMs: 0 };
  const sum = { name: 'split', onBatchEnd: ({ timings }) => { for (const k of Object.keys(split)) split[k] += timings[k]; } };
  const t = new Trainer({ model: m, optimizer: opt, train: source, callbacks: [sum] });
  const t0 = performance.now();
  await t.fit();
  const sps = (steps * B) / ((performance.now() - t0) / 1000);
  m.dispose();
  opt.dispose();
  return { sps, split };
}

await bare(); // warm-up
const rows = [];
for (let r = 0; r < 2; r++) {
  const a = await bare();
  const { sps, split } = await trainer();
  rows.push({ bare: a, trainer: sps, split });
}
console.log(`backend ${backend}, mlp batch ${B}, ${steps} steps per run`);
console.log('run | bare loop samples/s | Trainer samples/s | Trainer / bare | Trainer split % (data/compute/allreduce/optim)');
rows.forEach((r, i) => {
  const s = r.split;
  const pct = ['dataMs', 'computeMs', 'allReduceMs', 'optimizerMs'].map((k) => ((100 * s[k]) / s.totalMs).toFixed(1)).join('/');
  console.log(`${i} | ${r.bare.toFixed(0)} | ${r.trainer.toFixed(0)} | ${(r.trainer / r.bare).toFixed(3)} | ${pct}`);
});
