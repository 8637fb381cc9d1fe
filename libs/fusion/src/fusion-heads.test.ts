// The conformance suite every registered fusion head passes.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, ConfigError, DataError, loadWeights, Rng, saveWeights } from '@omnitrain/core';
import { fusionFromConfig, fusions } from '@omnitrain/fusion';
import type { FusionHead } from '@omnitrain/fusion';

const modalities = { image: 5, audio: 3, text: 4 };
const batch = 6;
const dir = mkdtempSync(join(tmpdir(), 'fusion-'));
let rng = Rng.fromSeed(0);

beforeAll(async () => {
  await tf.setBackend('cpu');
  rng = Rng.fromSeed(Date.now()); // fresh inputs every run
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function random(shape: [number, number]): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from({ length: shape[0] * shape[1] }, () => rng.normal()), shape);
}

function features(): Record<string, tf.Tensor2D> {
  return Object.fromEntries(Object.entries(modalities).map(([m, d]) => [m, random([batch, d])]));
}

function build(name: string, extra: Record<string, unknown> = {}): FusionHead {
  return fusionFromConfig({ name, modalities, outDim: 3, hiddenDim: 8, ...extra });
}

function rows(t: tf.Tensor2D, indices: number[]): number[][] {
  const all = t.arraySync();
  return indices.map((i) => all[i]!);
}

describe.each(fusions.list())('fusion head "%s"', (name) => {
  it('maps [batch, dim_m] per modality to [batch, outDim]', () => {
    const head = build(name);
    expect(head.name).toBe(name);
    expect(head.modalities).toEqual(['image', 'audio', 'text']);
    const out = head.apply(features());
    expect(out.shape).toEqual([batch, 3]);
    expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
    head.dispose();
  });

  it('round-trips its config: the rebuilt head computes the same outputs', () => {
    const head = build(name, { seed: 5 });
    const twin = fusionFromConfig(JSON.parse(JSON.stringify(head.getConfig())));
    expect(twin.getConfig()).toEqual(head.getConfig());
    const x = features();
    expect(twin.apply(x).arraySync()).toEqual(head.apply(x).arraySync());
    expect(() => fusionFromConfig({ ...head.getConfig(), extra: 1 })).toThrow(ConfigError);
    head.dispose();
    twin.dispose();
  });

  it('saves and loads its named weights through core safetensors', async () => {
    const head = build(name, { seed: 1 });
    const other = build(name, { seed: 2 });
    const x = features();
    expect(other.apply(x).arraySync()).not.toEqual(head.apply(x).arraySync());
    const path = join(dir, `${name}.safetensors`);
    const w = head.weights();
    expect(Object.keys(w)).toEqual(Object.keys(head.variables));
    expect(Object.keys(w).every((k) => k.startsWith(`${name}/`))).toBe(true);
    await saveWeights(path, w);
    tf.dispose(w);
    const { tensors } = await loadWeights(path);
    other.loadWeights(tensors);
    expect(other.apply(x).arraySync()).toEqual(head.apply(x).arraySync());
    const [first] = Object.keys(tensors);
    expect(() => other.loadWeights({ ...tensors, [first!]: tf.zeros([1, 2, 3]) })).toThrow(CheckpointError);
    tf.dispose(tensors);
    head.dispose();
    other.dispose();
  });

  it('ignores the values of a masked modality and uses its placeholder instead', () => {
    const head = build(name);
    const x = features();
    const presence = { audio: tf.tensor1d([1, 0, 1, 0, 0, 1]) };
    const masked = [1, 3, 4];
    const out = head.apply(x, { presence });
    const garbage = tf.mul(random([batch, 3]), tf.tensor2d([[NaN, 1e6, -3]])) as tf.Tensor2D;
    const changed = head.apply({ ...x, audio: random([batch, 3]) }, { presence });
    const poisoned = head.apply({ ...x, audio: garbage }, { presence });
    const missing = head.apply({ image: x['image']!, text: x['text']! });
    expect(rows(changed, masked)).toEqual(rows(out, masked));
    expect(rows(poisoned, masked)).toEqual(rows(out, masked));
    expect(rows(missing, masked)).toEqual(rows(out, masked));
    expect(rows(changed, [0, 2, 5])).not.toEqual(rows(out, [0, 2, 5]));
    head.dispose();
  });

  it('gives every variable a gradient, placeholders included', () => {
    const head = build(name);
    const x = features();
    // Each modality missing in two samples that still have the others, so no row is all placeholders.
    const presence = Object.fromEntries(
      head.modalities.map((m, i) => [m, tf.tensor1d([0, 1, 2, 0, 1, 2].map((k) => (k === i ? 0 : 1)))]),
    );
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(head.apply(x, { presence }))) as tf.Scalar, Object.values(head.variables));
    const names = Object.entries(head.variables).map(([n, v]) => [n, grads[v.name]] as const);
    const missing = names.filter(([, g]) => g === undefined || tf.max(tf.abs(g)).dataSync()[0] === 0).map(([n]) => n);
    expect(missing).toEqual([]);
    head.dispose();
  });

  it('drops modalities in training deterministically from its seed, never at evaluation', () => {
    const [a, b, c] = [1, 1, 2].map((seed) => build(name, { modalityDropout: 0.5, seed }));
    const x = features();
    const outs = (h: FusionHead) => [0, 1, 2].map(() => h.apply(x, { training: true }).arraySync());
    const [ra, rb, rc] = [outs(a!), outs(b!), outs(c!)];
    expect(ra).toEqual(rb);
    expect(ra[0]).not.toEqual(ra[1]); // a fresh draw per call
    const evaluated = build(name, { seed: 1 });
    const plain = evaluated.apply(x).arraySync();
    evaluated.dispose();
    expect(a!.apply(x).arraySync()).toEqual(plain);
    expect(ra.some((r) => JSON.stringify(r) !== JSON.stringify(plain))).toBe(true);
    expect(rc).not.toEqual(ra);
    const saved = a!.getRngState();
    const next = a!.apply(x, { training: true }).arraySync();
    a!.setRngState(JSON.parse(JSON.stringify(saved)));
    expect(a!.apply(x, { training: true }).arraySync()).toEqual(next); // exact resume
    [a, b, c].forEach((h) => h!.dispose());
  });

  it('rejects unknown modalities and wrong shapes, naming them', () => {
    const head = build(name);
    expect(() => head.apply({ ...features(), video: random([batch, 2]) })).toThrow(/"video"/);
    expect(() => head.apply({ ...features(), audio: random([batch, 4]) })).toThrow(DataError);
    expect(() => head.apply(features(), { presence: { audio: tf.ones([batch + 1]) } })).toThrow(DataError);
    expect(() => head.apply({})).toThrow(DataError);
    head.dispose();
  });
});

describe('fusionFromConfig', () => {
  it('lists the available heads on an unknown name, with a suggestion', () => {
    expect(() => fusionFromConfig({ name: 'gatd', modalities, outDim: 2 })).toThrow(
      /Unknown fusion "gatd". Available: attention, cross-attention, early, film, gated, late, low-rank, tensor. Did you mean "gated"\?/,
    );
  });

  it('reports invalid options as ConfigError', () => {
    expect(() => fusionFromConfig({ name: 'early', modalities: {}, outDim: 2 })).toThrow(ConfigError);
    expect(() => fusionFromConfig({ name: 'film', modalities, outDim: 2, target: 'video' })).toThrow(/target "video"/);
    expect(() => fusionFromConfig({ name: 'cross-attention', modalities, outDim: 2, hiddenDim: 9, heads: 2 })).toThrow(ConfigError);
    expect(() => fusionFromConfig({ name: 'tensor', modalities, outDim: 2, projDim: 64 })).toThrow(/low-rank/);
  });
});
