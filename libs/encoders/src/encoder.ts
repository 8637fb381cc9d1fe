import type { LayersModel } from '@tensorflow/tfjs-layers';

/** What an encoder emits: one vector per sample, or one per time step (text encoders). */
export type EncoderOutput = 'pooled' | 'sequence';

/** One input of an encoder's model, in the order `model.inputs` takes them. */
export interface EncoderInputSpec {
  /** What it is: `images`, `spectrogram`, `ids`, `attentionMask`. */
  readonly name: string;
  /** Shape of one sample, without the batch axis. */
  readonly shape: readonly number[];
  /** Dtype it is fed as: `float32` for images and audio, `int32` for token ids and masks. */
  readonly dtype: 'float32' | 'int32';
}

/**
 * A trainable feature extractor: a tfjs-layers sub-model from one modality's input to features.
 * `model` is a `LayersModel`, so it also works as a layer inside a larger functional model:
 * `encoder.model.apply(symbolicInput)`.
 *
 * - image and audio encoders take one input `[batch, ...shape]`;
 * - text encoders take `[ids, attentionMask]`, both `[batch, time]` int32 (a tokenizer's
 *   `BatchEncoding`); positions where the mask is 0 never change the output, whatever their ids.
 * - `output: 'pooled'`: `[batch, outputDim]`; `output: 'sequence'` (text):
 *   `[batch, time, outputDim]`, carrying the padding mask to the layers that follow; inside a larger
 *   model tfjs drops a nested model's output mask, so pass `attentionMask` on explicitly
 *   (`MaskedMeanPooling` takes `[x, attentionMask]`).
 *
 * @example
 * const enc = encoderFromConfig({ name: 'cnn', inputShape: [28, 28, 1] });
 * const features = enc.model.predict(images) as Tensor; // [batch, enc.outputDim]
 */
export interface Encoder<C extends { name: string } = { name: string }> {
  /** Registry name of the encoder (`cnn`, `transformer`, ...). */
  readonly name: string;
  /** The network: inputs to features. */
  readonly model: LayersModel;
  /** The model's inputs, in order. */
  readonly inputs: readonly EncoderInputSpec[];
  /** Size of the last axis of the output. */
  readonly outputDim: number;
  /** Pooled `[batch, dim]` or sequence `[batch, time, dim]` features. */
  readonly output: EncoderOutput;
  /** The full config, defaults filled in; `encoderFromConfig(getConfig())` builds the same architecture. */
  getConfig(): C;
}
