import { describe, expect, it } from 'vitest';
// The umbrella installs the chained tensor ops that tfjs-layers' GRU/LSTM cells call.
import type * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@omnitrain/core';
import { MaskedMeanPooling, bagOfEmbeddingsEncoder, encoderFromConfig, rnnEncoder, transformerEncoder } from '@omnitrain/encoders';
import type { Encoder } from '@omnitrain/encoders';
import { randomIds, textBatch, trainableCount } from '../../test-fixtures/encoder-harness.js';

const VOCAB = 30;
const TIME = 7;
const small = { vocabSize: VOCAB, sequenceLength: TIME, embeddingDim: 8 };

const configs: Record<string, Record<string, unknown>> = {
  'bag-of-embeddings': { name: 'bag-of-embeddings', ...small },
  gru: { name: 'rnn', cell: 'gru', units: 6, ...small },
  'lstm x2': { name: 'rnn', cell: 'lstm', units: 5, numLayers: 2, ...small },
  transformer: { name: 'transformer', numHeads: 2, ffDim: 12, numLayers: 2, ...small },
  'transformer, sequence': { name: 'transformer', numHeads: 4, ffDim: 12, output: 'sequence', ...small },
  'gru, sequence': { name: 'rnn', units: 4, output: 'sequence', ...small },
};

/** Output rows, keeping only the real steps of sequence outputs. */
function run(enc: Encoder, ids: number[][], mask: number[][]): number[] {
  const y = (enc.model.predict(textBatch(ids, mask)) as tf.Tensor).arraySync() as number[][] | number[][][];
  if (enc.output === 'pooled') return (y as number[][]).flat();
  return (y as number[][][]).flatMap((row, b) => row.filter((_, t) => mask[b]![t] === 1).flat());
}

describe('text encoders ignore padding', () => {
  for (const [label, config] of Object.entries(configs)) {
    it(`${label}: ids after the length do not change the output, real ids do`, () => {
      const rng = Rng.fromSeed(label.length * 7919);
      const enc = encoderFromConfig(config);
      const { ids, mask, lengths } = randomIds(rng, 5, TIME, VOCAB);
      const scrambled = ids.map((row, b) => row.map((id, t) => (t < lengths[b]! ? id : rng.int(1, VOCAB - 1))));
      const base = run(enc, ids, mask);
      const moved = run(enc, scrambled, mask);
      expect(moved.length).toBe(base.length);
      moved.forEach((v, i) => expect(v).toBeCloseTo(base[i]!, 5));
      const changed = ids.map((row) => [...row]);
      changed[0]![0] = (changed[0]![0]! % (VOCAB - 1)) + 1;
      const other = run(enc, changed, mask);
      expect(Math.max(...other.map((v, i) => Math.abs(v - base[i]!)))).toBeGreaterThan(1e-6);
    });
  }

  it('sequence outputs are [batch, time, dim]', () => {
    const enc = encoderFromConfig(configs['transformer, sequence']);
    const { ids, mask } = randomIds(Rng.fromSeed(5), 3, TIME, VOCAB);
    expect((enc.model.predict(textBatch(ids, mask)) as tf.Tensor).shape).toEqual([3, TIME, 8]);
    expect(enc.inputs.map((i) => [i.shape, i.dtype])).toEqual([[[TIME], 'int32'], [[TIME], 'int32']]);
  });
});

describe('sequence encoders nested in a larger model', () => {
  it('a masked mean given the attention mask ignores padded ids', () => {
    const enc = transformerEncoder({ ...small, output: 'sequence' });
    const [ids, mask] = [tfl.input({ shape: [TIME], dtype: 'int32' }), tfl.input({ shape: [TIME], dtype: 'int32' })];
    const seq = enc.model.apply([ids, mask]) as tfl.SymbolicTensor; // [batch, time, 8] + mask
    const outer = tfl.model({ inputs: [ids, mask], outputs: new MaskedMeanPooling().apply([seq, mask]) as tfl.SymbolicTensor });
    const rng = Rng.fromSeed(17);
    const batch = randomIds(rng, 4, TIME, VOCAB);
    const scrambled = batch.ids.map((row, b) => row.map((id, t) => (t < batch.lengths[b]! ? id : rng.int(1, VOCAB - 1))));
    const a = (outer.predict(textBatch(batch.ids, batch.mask)) as tf.Tensor).dataSync();
    const b = (outer.predict(textBatch(scrambled, batch.mask)) as tf.Tensor).dataSync();
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
  });
});

describe('text encoder parameter counts', () => {
  it('match the closed forms', () => {
    const [v, d, u, ff] = [VOCAB, 8, 6, 12];
    expect(trainableCount(bagOfEmbeddingsEncoder(small))).toBe(v * d);
    expect(trainableCount(rnnEncoder({ ...small, units: u }))).toBe(v * d + 3 * (d * u + u * u + u));
    expect(trainableCount(rnnEncoder({ ...small, units: u, cell: 'lstm', numLayers: 2 }))).toBe(
      v * d + 4 * (d * u + u * u + u) + 4 * (u * u + u * u + u),
    );
    const block = 4 * (d * d + d) + (d * ff + ff) + (ff * d + d) + 2 * 2 * d;
    expect(trainableCount(transformerEncoder({ ...small, ffDim: ff, numLayers: 2 }))).toBe(v * d + TIME * d + 2 * block);
  });

  it('the default Transformer is the BENCHMARKS.md one: vocab 1000, 32 tokens, d 64, FFN 256', () => {
    const enc = transformerEncoder({ vocabSize: 1000, sequenceLength: 32 });
    const d = 64;
    const block = 4 * (d * d + d) + (d * 256 + 256) + (256 * d + d) + 4 * d;
    expect(enc.outputDim).toBe(64);
    expect(trainableCount(enc)).toBe(1000 * d + 32 * d + block);
  });

  it('rejects heads that do not divide the width', () => {
    expect(() => transformerEncoder({ ...small, numHeads: 3 })).toThrow(/numHeads dividing embeddingDim/);
  });
});
