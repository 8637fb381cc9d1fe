import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, DataError, Rng } from '@omnitrain/core';
import type { RngState } from '@omnitrain/core';
import type { FusionApplyOptions, FusionConfig, FusionHead, ModalityFeatures } from './fusion-head.js';
import type { CommonFusionConfig } from './fusion-schema.js';
import { modalityDropoutMask } from './modality-dropout-mask.js';
import { ParamStore } from './ops/param-store.js';

/**
 * What every head shares: named variables, input checks, the learned placeholder per modality
 * that stands in for a missing one, and seeded modality dropout. A head implements {@link fuse}.
 *
 * @example
 * class SumFusion extends BaseFusionHead<SumConfig> {
 *   protected fuse(inputs: tf.Tensor2D[]) { return tf.addN(inputs); }
 * }
 */
export abstract class BaseFusionHead<C extends CommonFusionConfig> implements FusionHead {
  readonly name: string;
  readonly modalities: readonly string[];
  readonly outDim: number;
  /** Creates and keeps this head's variables. */
  protected readonly store: ParamStore;
  /** Feature width of each modality, in {@link modalities} order. */
  protected readonly dims: readonly number[];
  /** The validated config, defaults filled in. */
  protected readonly config: C;
  readonly #placeholders: tf.Variable[];
  #dropoutRng: Rng;

  /** @param config The validated config. */
  constructor(config: C) {
    this.config = config;
    this.name = config.name;
    this.modalities = Object.keys(config.modalities);
    this.dims = Object.values(config.modalities);
    this.outDim = config.outDim;
    this.store = new ParamStore(config.name, config.seed);
    this.#placeholders = this.modalities.map((m, i) => this.store.normal(`placeholder/${m}`, [this.dims[i]!], 0.1));
    this.#dropoutRng = Rng.stream(config.seed, { purpose: 'modality-dropout' });
  }

  get variables(): Readonly<Record<string, tf.Variable>> {
    return this.store.variables;
  }

  apply(features: ModalityFeatures, options: FusionApplyOptions = {}): tf.Tensor2D {
    const batch = this.#checkInputs(features, options);
    const drop =
      options.training === true && this.config.modalityDropout > 0
        ? modalityDropoutMask(this.#dropoutRng, batch, this.modalities.length, this.config.modalityDropout)
        : undefined;
    return tf.tidy(() => {
      const dropMask = drop && tf.tensor2d(drop, [batch, this.modalities.length]); // [batch, modalities]
      const inputs = this.modalities.map((m, i) => {
        const placeholder = tf.broadcastTo(this.#placeholders[i]!, [batch, this.dims[i]!]); // [batch, dim]
        const x = features[m];
        if (x === undefined) return placeholder as tf.Tensor2D;
        const presence = options.presence?.[m];
        let keep: tf.Tensor | undefined = presence && tf.reshape(presence, [batch, 1]); // [batch, 1]
        if (dropMask) {
          const d = tf.slice(dropMask, [0, i], [batch, 1]); // [batch, 1]
          keep = keep ? tf.mul(keep, d) : d;
        }
        if (keep === undefined) return x;
        // where (not a product) so that a masked input, even NaN, cannot reach the output.
        return tf.where(tf.broadcastTo(tf.greater(keep, 0.5), x.shape), x, placeholder) as tf.Tensor2D;
      });
      return this.fuse(inputs);
    });
  }

  /**
   * Fuses the inputs, where missing entries are already replaced by placeholders.
   *
   * @param inputs One `[batch, dim_m]` per modality, in {@link modalities} order.
   * @returns `[batch, outDim]`.
   */
  protected abstract fuse(inputs: tf.Tensor2D[]): tf.Tensor2D;

  weights(): tf.NamedTensorMap {
    return this.store.read();
  }

  loadWeights(tensors: tf.NamedTensorMap): void {
    this.store.assign(tensors);
  }

  getRngState(): RngState {
    return this.#dropoutRng.getState();
  }

  setRngState(state: RngState): void {
    this.#dropoutRng = Rng.fromState(state);
  }

  getConfig(): FusionConfig {
    return structuredClone(this.config) as FusionConfig;
  }

  dispose(): void {
    this.store.dispose();
  }

  /** Checks names and shapes; returns the batch size. */
  #checkInputs(features: ModalityFeatures, options: FusionApplyOptions): number {
    const op = `fusion.${this.name}.apply`;
    const expected = this.modalities.join(', ');
    for (const m of [...Object.keys(features), ...Object.keys(options.presence ?? {})]) {
      if (!this.modalities.includes(m)) {
        throw new ConfigError({ op, expected: `modalities among: ${expected}`, received: `"${m}"` });
      }
    }
    const given = this.modalities.filter((m) => features[m] !== undefined);
    if (given.length === 0) {
      throw new DataError({ op, expected: `features of at least one of: ${expected}`, received: 'none' });
    }
    const batch = features[given[0]!]!.shape[0];
    this.modalities.forEach((m, i) => {
      const x = features[m];
      if (x !== undefined && (x.rank !== 2 || x.shape[0] !== batch || x.shape[1] !== this.dims[i])) {
        throw new DataError({ op, expected: `"${m}" of shape [${batch}, ${this.dims[i]}]`, received: `[${x.shape.join(', ')}]` });
      }
      const p = options.presence?.[m];
      if (p !== undefined && (p.rank !== 1 || p.shape[0] !== batch)) {
        throw new DataError({ op, expected: `presence "${m}" of shape [${batch}]`, received: `[${p.shape.join(', ')}]` });
      }
    });
    return batch;
  }
}
