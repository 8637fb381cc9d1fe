import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '@omnitrain/engine';
import type { MultimodalFeaturizer, SampleFeatures } from '../featurize/multimodal-featurizer.js';

/**
 * Stacks featurized samples into one {@link Batch} for the used modalities: inputs `image`
 * [b, h, w, c], `audio` [b, frames, mels, 1], `text.ids` and `text.attentionMask` [b, t] int32;
 * a modality read by a pretrained extractor is `<modality>` [b, dim] float32 (its vectors);
 * `presence` per modality (float32 [b], 0 where the sample lacks it, whose input is then zeros);
 * `labels` int32 [b]; `ids`. An empty list gives a batch of size 0 (a rank's empty share of a
 * small last global batch), with the same inputs, zero rows each.
 *
 * @param items The samples' features, in batch order.
 * @param featurizer The featurizer that made them (modalities and shapes).
 * @example const batch = collateFeatures(await Promise.all(samples.map((s) => f.featurize(s))), f);
 */
export function collateFeatures(items: readonly SampleFeatures[], featurizer: MultimodalFeaturizer): Batch {
  const b = items.length;
  const inputs: Record<string, tf.Tensor> = {};
  const presence: Record<string, tf.Tensor1D> = {};
  const shapes = featurizer.inputShapes();
  for (const m of featurizer.modalities) {
    const shape = shapes[m]!;
    const per = shape.reduce((p, d) => p * d, 1);
    const present = new Float32Array(b);
    if (featurizer.isPretrained(m)) {
      const values = new Float32Array(b * per);
      items.forEach((x, i) => {
        const v = x.vectors?.[m as 'image' | 'text'];
        if (!v) return;
        values.set(v, i * per);
        present[i] = 1;
      });
      inputs[m] = tf.tensor2d(values, [b, per], 'float32');
    } else if (m === 'text') {
      const ids = new Int32Array(b * per);
      const mask = new Int32Array(b * per);
      items.forEach((x, i) => {
        if (!x.text) return;
        ids.set(x.text.ids, i * per);
        mask.set(x.text.attentionMask, i * per);
        present[i] = 1;
      });
      inputs['text.ids'] = tf.tensor2d(ids, [b, per], 'int32');
      inputs['text.attentionMask'] = tf.tensor2d(mask, [b, per], 'int32');
    } else {
      const values = new Float32Array(b * per);
      items.forEach((x, i) => {
        const v = x[m];
        if (!v) return;
        values.set(v, i * per);
        present[i] = 1;
      });
      inputs[m] = tf.tensor(values, [b, ...shape], 'float32');
    }
    presence[m] = tf.tensor1d(present, 'float32');
  }
  return {
    inputs,
    presence,
    labels: tf.tensor1d(Int32Array.from(items, (x) => x.label), 'int32'),
    size: b,
    ids: items.map((x) => x.id),
  };
}
