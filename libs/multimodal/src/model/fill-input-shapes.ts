import type { MultimodalFeaturizer } from '../featurize/multimodal-featurizer.js';
import type { ModelConfigInput } from './model-config.js';

/**
 * Completes the encoder configs of a model config with what the featurizer decided: image
 * `inputShape` [h, w, c]; audio `inputShape` [frames, mels, 1] (or [frames, mels] for
 * `audio-conv1d`); text `vocabSize` (the fitted tokenizer's) and `sequenceLength` (maxLength).
 * Fields already given are kept.
 *
 * @param config A model config as written.
 * @param featurizer The featurizer of the data the model will read.
 * @returns A new config.
 * @example const model = new MultimodalModel(fillInputShapes(run.model, featurizer));
 */
export function fillInputShapes(config: ModelConfigInput, featurizer: MultimodalFeaturizer): ModelConfigInput {
  const encoders = structuredClone(config.encoders ?? {});
  const shapes = featurizer.inputShapes();
  if (encoders.image && shapes.image) encoders.image = { inputShape: [...shapes.image], ...encoders.image };
  if (encoders.audio && shapes.audio) {
    const [frames, mels] = shapes.audio;
    const inputShape = encoders.audio.name === 'audio-conv1d' ? [frames, mels] : [...shapes.audio];
    encoders.audio = { inputShape, ...encoders.audio };
  }
  if (encoders.text && featurizer.text) {
    encoders.text = { vocabSize: featurizer.text.vocabSize, sequenceLength: featurizer.text.maxLength, ...encoders.text };
  }
  return { ...config, encoders };
}
