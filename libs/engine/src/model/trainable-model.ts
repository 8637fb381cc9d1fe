import type * as tf from '@tensorflow/tfjs-core';

/**
 * One batch as the Trainer sees it: model inputs by name, labels, and per-modality presence.
 * The Trainer disposes every tensor of a batch after the step.
 */
export interface Batch {
  /** Model inputs by name, e.g. `image` [batch, h, w, c], `audio` [batch, frames, mels, 1], `text.ids` [batch, time]. */
  readonly inputs: Readonly<Record<string, tf.Tensor>>;
  /** Class ids, int32 [batch]. */
  readonly labels: tf.Tensor1D;
  /** Per-modality presence, each float32 [batch] of 0/1; a modality absent here is present for every sample. */
  readonly presence?: Readonly<Record<string, tf.Tensor1D>>;
  /** Number of samples in the batch. */
  readonly size: number;
  /** The samples' ids (manifest row ids), for sample predictions; optional. */
  readonly ids?: readonly string[];
}

/**
 * A model the Trainer can train: variables by checkpoint name and a forward pass to logits.
 * Freezing is the variable's `trainable` flag; the Trainer computes gradients for trainable ones only.
 *
 * @example
 * const logits = model.forward(batch, { training: true }); // [batch, classes]
 */
export interface TrainableModel {
  /** A short name for logs (`multimodal`, `mlp`). */
  readonly name: string;
  /** Every variable by checkpoint name, in a fixed order (the same on every rank). */
  readonly variables: Readonly<Record<string, tf.Variable>>;
  /** Number of output classes (the logits' last axis). */
  readonly numClasses: number;
  /** Forward pass to logits [batch, numClasses]; `training` turns on dropout and modality dropout. */
  forward(batch: Batch, options: { training: boolean }): tf.Tensor2D;
  /** Plain-JSON config that rebuilds the same architecture (saved beside checkpoints). */
  getConfig(): { readonly name: string; readonly [key: string]: unknown };
  /** Frees the variables. */
  dispose(): void;
}
