import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@omnitrain/core';
import { transformerEncoder } from '@omnitrain/encoders';
import { randomIds, textBatch } from '../../test-fixtures/encoder-harness.js';

describe('custom layers', () => {
  it('serialize with the model: a model rebuilt from its JSON and weights gives the same features', async () => {
    const enc = transformerEncoder({ vocabSize: 20, sequenceLength: 5, embeddingDim: 8, numHeads: 2, ffDim: 8 });
    const json = enc.model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'];
    const rebuilt = await tf.models.modelFromJSON({ modelTopology: json } as tf.io.ModelJSON);
    rebuilt.setWeights(enc.model.getWeights());
    const { ids, mask } = randomIds(Rng.fromSeed(21), 3, 5, 20);
    const a = (enc.model.predict(textBatch(ids, mask)) as tf.Tensor).dataSync();
    const b = (rebuilt.predict(textBatch(ids, mask)) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(rebuilt.layers.map((l) => l.getClassName())).toContain('OmnitrainTransformerBlock');
  });
});
