import { ConfigError } from '@omnitrain/core';
import type { MultimodalFeaturizer } from '../featurize/multimodal-featurizer.js';
import type { ModelConfigInput } from './model-config.js';

/**
 * Completes the encoder configs of a model config with what the featurizer decided: image
 * `inputShape` [h, w, c]; audio `inputShape` [frames, mels, 1] (or [frames, mels] for
 * `audio-conv1d`); text `vocabSize` (the fitted tokenizer's) and `sequenceLength` (maxLength);
 * a modality read by a pretrained extractor: the `vector` encoder's `inputDim` (the extractor's
 * outputDim). Fields already given are kept.
 *
 * @param config A model config as written.
 * @param featurizer The featurizer of the data the model will read.
 * @returns A new config.
 * @throws ConfigError when a pretrained modality's encoder is not a `vector` encoder (naming
 *   `model.encoders.<modality>`).
 * @example const model = new MultimodalModel(fillInputShapes(run.model, featurizer));
 */
export function fillInputShapes(config: ModelConfigInput, featurizer: MultimodalFeaturizer): ModelConfigInput {
  const encoders = structuredClone(config.encoders ?? {});
  const shapes = featurizer.inputShapes();
  for (const m of ['image', 'audio', 'text'] as const) {
    const enc = encoders[m];
    if (!enc || !featurizer.isPretrained(m)) continue;
    if (enc.name !== 'vector') {
      throw new ConfigError({
        op: 'multimodal.fillInputShapes',
        expected: `a "vector" encoder for the pretrained ${m} features ([batch, ${shapes[m]![0]}] floats)`,
        received: `"${enc.name}"`,
        where: `field model.encoders.${m}`,
        hint: `write model.encoders.${m}: { name: vector, units: [64] } (units: [] feeds the features to the fusion head unchanged)`,
      });
    }
    encoders[m] = { inputDim: shapes[m]![0]!, ...enc };
  }
  if (encoders.image && shapes.image && !featurizer.isPretrained('image')) encoders.image = { inputShape: [...shapes.image], ...encoders.image };
  if (encoders.audio && shapes.audio && !featurizer.isPretrained('audio')) {
    const [frames, mels] = shapes.audio;
    const inputShape = encoders.audio.name === 'audio-conv1d' ? [frames, mels] : [...shapes.audio];
    encoders.audio = { inputShape, ...encoders.audio };
  }
  if (encoders.text && featurizer.text && !featurizer.isPretrained('text')) {
    encoders.text = { vocabSize: featurizer.text.vocabSize, sequenceLength: featurizer.text.maxLength, ...encoders.text };
  }
  return { ...config, encoders };
}
