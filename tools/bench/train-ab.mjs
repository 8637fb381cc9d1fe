#!/usr/bin/env node
// Same-process A/B of the training step of the BENCHMARKS.md models on wasm + Omnitrain kernels:
// "new" = every kernel as registered now; "old" = the kernels listed in OLD swapped back (the shipped
// XNNPACK _FusedMatMul / Conv2D / FusedConv2D, the im2col + XNNPACK filter gradient). Blocks of steps
// alternate between the two, timed in this process's CPU seconds (robust to other load on the core).
//   npx tsc -p libs/core/tsconfig.lib.json && npx tsc -p libs/wasm-kernels/tsconfig.lib.json
//   taskset -c 0 node tools/bench/train-ab.mjs [--models mlp,cnn] [--rounds 6] [--steps 3]
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    models: { type: 'string', default: 'mlp,cnn,transformer,gru,audio2d,audio1d' },
    rounds: { type: 'string', default: '6' },
    steps: { type: 'string', default: '3' },
  },
});
const tf = await import('@tensorflow/tfjs');
const { initBackend } = await import('@omnitrain/core');
const { registerWasmTrainingKernels, setConv2dBackpropFilterAlgorithm, fusedGruSequence, fusedGelu, fusedLayerNorm } = await import('@omnitrain/wasm-kernels');
const { adam: optimAdam } = await import('@omnitrain/optim');
const { MODELS } = await import('./train-models.mjs');
await initBackend({ backend: 'wasm' });
const OLD = ['_FusedMatMul', 'Conv2D', 'FusedConv2D'];
const shipped = Object.fromEntries(OLD.map((k) => [k, tf.getKernel(k, 'wasm')]));
registerWasmTrainingKernels();
const ours = Object.fromEntries(OLD.map((k) => [k, tf.getKernel(k, 'wasm')]));
const use = (which) => {
  for (const k of OLD) {
    tf.unregisterKernel(k, 'wasm');
    tf.registerKernel(which === 'new' ? ours[k] : shipped[k]);
  }
  setConv2dBackpropFilterAlgorithm(which === 'new' ? 'direct' : 'im2col');
};
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
console.log('| model | new ms/step (CPU) | old ms/step (CPU) | old / new |');
console.log('|---|---|---|---|');
for (const model of opt.models.split(',')) {
  const spec = MODELS[model];
  const before = new Set(Object.keys(tf.engine().registeredVariables));
  const forward = spec.build(tf, { fusedGruSequence, fusedGelu, fusedLayerNorm });
  const x = spec.input(tf, spec.batch);
  const labels = tf.oneHot(tf.randomUniform([spec.batch], 0, 10, 'int32'), 10);
  const params = Object.fromEntries(Object.entries(tf.engine().registeredVariables).filter(([name]) => !before.has(name))); // this model's
  const adam = optimAdam(params, { lr: 1e-3 });
  const step = () => {
    const { value: loss, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, forward(x)), Object.values(params));
    adam.applyGradients(grads);
    tf.dispose(Object.values(grads));
    loss.dataSync();
    loss.dispose();
  };
  const times = { new: [], old: [] };
  for (const which of ['new', 'old']) { use(which); step(); step(); }
  for (let r = 0; r < Number(opt.rounds); r++) {
    for (const which of r % 2 ? ['old', 'new'] : ['new', 'old']) {
      use(which);
      step();
      const c0 = cpuMs();
      for (let s = 0; s < Number(opt.steps); s++) step();
      times[which].push((cpuMs() - c0) / Number(opt.steps));
    }
  }
  const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
  const n = med(times.new), o = med(times.old);
  console.log(`| ${model} | ${n.toFixed(1)} | ${o.toFixed(1)} | ${(o / n).toFixed(2)}x |`);
}
