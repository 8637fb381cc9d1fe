import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { encoderFromConfig, vectorEncoder } from '@omnitrain/encoders';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seed = Math.floor(Math.random() * 2 ** 31);
let s = seed || 1;
const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;

describe(`vectorEncoder (seed ${seed})`, () => {
  it('is dense + activation per layer: equal to the matrix products computed by hand', () => {
    const [batch, inputDim, hidden, out] = [3 + (seed % 4), 5 + (seed % 7), 4, 3];
    const enc = encoderFromConfig({ name: 'vector', inputDim, units: [hidden, out], activation: 'tanh', seed: seed % 1000 });
    expect(enc.outputDim).toBe(out);
    expect(enc.inputs).toEqual([{ name: 'features', shape: [inputDim], dtype: 'float32' }]);
    const x = Array.from({ length: batch }, () => Array.from({ length: inputDim }, rand));
    const got = (enc.model.predict(tf.tensor2d(x)) as tf.Tensor).arraySync() as number[][];
    const w = enc.model.getWeights().map((t) => t.arraySync()) as [number[][], number[], number[][], number[]];
    const layer = (v: number[][], k: number[][], b: number[]) => v.map((row) => b.map((bj, j) => Math.tanh(row.reduce((a, xi, i) => a + xi * k[i]![j]!, bj))));
    const want = layer(layer(x, w[0], w[1]), w[2], w[3]);
    got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 5)));
    // One seed, one set of initial weights; getConfig round-trips.
    const twin = encoderFromConfig(enc.getConfig());
    twin.model.getWeights().forEach((t, i) => expect(t.arraySync()).toEqual(w[i]));
  });

  it('with units [] is the identity, and rejects bad configs naming the field', () => {
    const enc = vectorEncoder({ inputDim: 6, units: [] });
    expect(enc.outputDim).toBe(6);
    expect(enc.model.getWeights()).toHaveLength(0);
    const x = tf.tensor2d([Array.from({ length: 6 }, rand), Array.from({ length: 6 }, rand)]);
    expect((enc.model.predict(x) as tf.Tensor).arraySync()).toEqual(x.arraySync());
    expect(() => vectorEncoder({ inputDim: 0 })).toThrow(ConfigError);
    expect(() => vectorEncoder({ inputDim: 4, activation: 'relu7' as 'relu' })).toThrow(/activation/);
    expect(() => encoderFromConfig({ name: 'vector' })).toThrow(/inputDim/);
  });
});
