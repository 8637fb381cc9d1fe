import type * as tf from '@tensorflow/tfjs-core';
import type { RngState } from '@omnitrain/core';

/** Per-modality feature tensors by modality name, each `[batch, dim]`. */
export type ModalityFeatures = Readonly<Record<string, tf.Tensor2D>>;

/** Options of {@link FusionHead.apply}. */
export interface FusionApplyOptions {
  /**
   * Per-modality presence, each `[batch]` of 0/1 (1: the sample has this modality). A modality
   * that is absent here is present for every sample; one absent from the features is missing for
   * every sample. Missing entries are replaced by the head's learned placeholder. Default: all present.
   */
  presence?: Readonly<Record<string, tf.Tensor1D>>;
  /** Training mode: applies the configured modality dropout (seeded). Default false. */
  training?: boolean;
}

/**
 * A fusion head: combines per-modality features `[batch, dim_m]` into `[batch, outDim]` (logits or
 * fused features). It owns its variables, handles missing modalities per sample with a learned
 * placeholder vector per modality, and drops whole modalities at random in training.
 *
 * @example
 * const head = fusionFromConfig({ name: 'gated', modalities: { image: 64, audio: 32 }, outDim: 10 });
 * const logits = head.apply({ image, audio }, { presence: { audio: audioMask }, training: true });
 * await saveWeights('head.safetensors', head.weights());
 */
export interface FusionHead {
  /** The registry name of this head (`early`, `gated`, ...). */
  readonly name: string;
  /** Modality names, in the order of the config. */
  readonly modalities: readonly string[];
  /** Width of the output. */
  readonly outDim: number;
  /** Trainable variables by checkpoint name (`gated/gate/kernel`), in creation order. */
  readonly variables: Readonly<Record<string, tf.Variable>>;
  /**
   * Fuses `features` into `[batch, outDim]`; runs inside `tf.tidy`, so intermediates are freed.
   *
   * @throws ConfigError when a modality name is unknown.
   * @throws DataError when a shape is wrong or no modality's features are given.
   */
  apply(features: ModalityFeatures, options?: FusionApplyOptions): tf.Tensor2D;
  /** The variables' current values by name, for core's `saveWeights` (caller disposes). */
  weights(): tf.NamedTensorMap;
  /**
   * Assigns values by name (e.g. from core's `loadWeights`); every variable must be present.
   *
   * @throws CheckpointError on a missing name or a shape mismatch.
   */
  loadWeights(tensors: tf.NamedTensorMap): void;
  /** The modality-dropout stream's state, saved with a checkpoint for an exact resume. */
  getRngState(): RngState;
  /** Restores the modality-dropout stream from {@link getRngState}'s value. */
  setRngState(state: RngState): void;
  /** The full config, defaults filled in: `fusionFromConfig(head.getConfig())` rebuilds this head. */
  getConfig(): FusionConfig;
  /** Frees the variables. */
  dispose(): void;
}

/** The config shared by every head: `name` picks the head, the other fields are its options. */
export interface FusionConfig {
  /** The registry name of the head. */
  name: string;
  /** Modality name -> feature width. */
  modalities: Record<string, number>;
  /** Output width. */
  outDim: number;
  /** Further options of the head. */
  [option: string]: unknown;
}
