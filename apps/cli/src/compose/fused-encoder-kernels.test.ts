// Text encoders on wasm with Omnitrain's fused kernels (@omnitrain/wasm-kernels, registered by
// composeBackend as a run does: the GRU / LSTM recurrence, the Transformer's GELU and layer norm)
// against the same encoders on the cpu backend (tfjs-layers' step-by-step GRU, op-by-op GELU and layer
// norm): outputs and every weight gradient. It lives in the CLI because it needs both encoders and
// wasm-kernels, which only the composition root may import together.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@omnitrain/core';
import { rnnEncoder, transformerEncoder } from '@omnitrain/encoders';
import { composeBackend } from './compose-backend.js';

const SEED = Number(process.env['ENCODERS_SEED'] ?? Date.now() % 1_000_000_007);

beforeAll(async () => {
  await composeBackend('wasm');
  await tf.setBackend('cpu');
});

/** Random token ids `[batch, time]` in [1, vocab), random lengths >= 1, 0 after the length, and the attention mask. */
function randomIds(rng: Rng, batch: number, time: number, vocab: number): { ids: number[][]; mask: number[][] } {
  const lengths = Array.from({ length: batch }, () => rng.int(1, time));
  const ids = lengths.map((len) => Array.from({ length: time }, (_, t) => (t < len ? rng.int(1, vocab - 1) : 0)));
  const mask = lengths.map((len) => Array.from({ length: time }, (_, t) => (t < len ? 1 : 0)));
  return { ids, mask };
}

const textBatch = (ids: number[][], mask: number[][]): tf.Tensor[] => [tf.tensor2d(ids, undefined, 'int32'), tf.tensor2d(mask, undefined, 'int32')];

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return a.length !== b.length || Number.isNaN(diff) ? Infinity : diff / (scale || 1);
}

/** Output and weight gradients of sum(output * r) on `backend`, from the given weight values. */
async function run(backend: 'cpu' | 'wasm', build: () => ReturnType<typeof rnnEncoder | typeof transformerEncoder>, weights: Float32Array[] | null, batch: ReturnType<typeof randomIds>) {
  await tf.setBackend(backend);
  const enc = build();
  if (weights) enc.model.setWeights(enc.model.getWeights().map((w, i) => tf.tensor(weights[i]!, w.shape)));
  const values = enc.model.getWeights().map((w) => w.dataSync() as Float32Array);
  const x = textBatch(batch.ids, batch.mask);
  const profile = await tf.profile(() => {
    tf.tidy(() => {
      const y = enc.model.apply(x, { training: true }) as tf.Tensor;
      const r = tf.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.sin(i * 12.9898 + SEED) * 2), y.shape);
      const vars = enc.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(enc.model.apply(x, { training: true }) as tf.Tensor, r)), vars);
      (run as unknown as { last: unknown }).last = { y: y.dataSync().slice(), loss: value.dataSync()[0], grads: vars.map((v) => grads[v.name]!.dataSync().slice()), names: vars.map((v) => v.name) };
    });
  });
  const out = (run as unknown as { last: { y: Float32Array; loss: number; grads: Float32Array[]; names: string[] } }).last;
  return { ...out, values, kernels: profile.kernelNames };
}

/** Runs `build` on cpu, then on wasm from the same weights; the wasm run must use `kernels`, cpu none. */
async function expectSameOnBothBackends(build: () => ReturnType<typeof rnnEncoder | typeof transformerEncoder>, sequenceLength: number, vocabSize: number, kernels: string[]): Promise<void> {
  const rng = Rng.fromSeed(SEED);
  const batch = randomIds(rng, 5, sequenceLength, vocabSize);
  const cpu = await run('cpu', build, null, batch);
  const wasm = await run('wasm', build, cpu.values, batch);
  for (const kernel of kernels) {
    expect(wasm.kernels, `seed ${SEED}`).toContain(kernel);
    expect(wasm.kernels, `seed ${SEED}`).toContain(`${kernel}Grad`);
    expect(cpu.kernels).not.toContain(kernel);
  }
  // Attention's key bias has a zero gradient in exact arithmetic (softmax ignores a shift shared by a
  // row's scores): on both backends it must be float noise, under 1e-5 of the model's largest gradient.
  const largest = (g: Float32Array): number => g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const scale = Math.max(...cpu.grads.map(largest));
  const zero = (n: string): boolean => n.endsWith('/k/bias');
  const errors = [
    ['output', relativeError(wasm.y, cpu.y)],
    ...cpu.names.map((n, i) => [n, zero(n) ? Math.max(largest(wasm.grads[i]!), largest(cpu.grads[i]!)) / scale : relativeError(wasm.grads[i]!, cpu.grads[i]!)]),
  ] as Array<[string, number]>;
  expect(errors.filter(([, e]) => !(e <= 1e-5)), `seed ${SEED}`).toEqual([]);
}

describe('GRU / LSTM text encoder: fused on wasm, step by step on cpu', () => {
  const cases: Array<[string, Parameters<typeof rnnEncoder>[0]]> = [
    ['pooled, 1 layer', { vocabSize: 40, sequenceLength: 9, embeddingDim: 8, units: 6 }],
    ['sequence, 2 layers', { vocabSize: 40, sequenceLength: 7, embeddingDim: 12, units: 8, numLayers: 2, output: 'sequence' }],
    ['the benchmark width', { vocabSize: 100, sequenceLength: 16, embeddingDim: 64, units: 64 }],
    ['lstm pooled', { vocabSize: 40, sequenceLength: 9, embeddingDim: 8, units: 6, cell: 'lstm' }],
    ['lstm sequence, 2 layers', { vocabSize: 40, sequenceLength: 7, embeddingDim: 12, units: 8, numLayers: 2, output: 'sequence', cell: 'lstm' }],
  ];
  for (const [label, options] of cases) {
    it(`${label}: output and every weight gradient within 1e-5`, async () => {
      await expectSameOnBothBackends(() => rnnEncoder(options), options.sequenceLength, options.vocabSize, [options.cell === 'lstm' ? 'OmnitrainLstmSequence' : 'OmnitrainGruSequence']);
    });
  }
});

describe('Transformer text encoder: fused GELU and layer norm on wasm, op by op on cpu', () => {
  const cases: Array<[string, Parameters<typeof transformerEncoder>[0]]> = [
    ['pooled, 1 block', { vocabSize: 40, sequenceLength: 9, embeddingDim: 8, numHeads: 2, ffDim: 16 }],
    ['sequence, 2 blocks, 4 heads', { vocabSize: 40, sequenceLength: 7, embeddingDim: 12, numHeads: 4, ffDim: 20, numLayers: 2, output: 'sequence' }],
    ['the benchmark width', { vocabSize: 100, sequenceLength: 16, embeddingDim: 64, numHeads: 2, ffDim: 256 }],
  ];
  for (const [label, options] of cases) {
    it(`${label}: output and every weight gradient within 1e-5`, async () => {
      await expectSameOnBothBackends(() => transformerEncoder(options), options.sequenceLength, options.vocabSize, ['OmnitrainGelu', 'OmnitrainLayerNorm']);
    });
  }
});
