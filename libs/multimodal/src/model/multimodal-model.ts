import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, DataError, deriveSeed, loadConfigObject } from '@omnitrain/core';
import { encoderFromConfig } from '@omnitrain/encoders';
import type { Encoder } from '@omnitrain/encoders';
import { fusionFromConfig } from '@omnitrain/fusion';
import type { FusionHead } from '@omnitrain/fusion';
import type { Batch, TrainableModel } from '@omnitrain/engine';
import { modelConfigSchema } from './model-config.js';
import type { ModelConfig, ModelConfigInput } from './model-config.js';

type Modality = ModelConfig['modalities'][number];
const ORDER: readonly Modality[] = ['image', 'audio', 'text'];

/**
 * The multi-modal classifier: one @omnitrain/encoders encoder per used modality, their pooled
 * features fused by an @omnitrain/fusion head into logits. Samples missing a modality (presence 0)
 * get the head's learned placeholder instead of that encoder's output; in training the head's
 * modality dropout applies. A single-modality model is this class with one modality.
 * Variables are named by checkpoint name, `encoders/<modality>/<layer index>_<layer class>/<weight>`
 * then `fusion/<head variable>`, in a fixed order (image, audio, text, fusion).
 *
 * @example
 * const model = new MultimodalModel(fillInputShapes(digitsRunConfig().model, featurizer));
 * const logits = model.forward(batch, { training: true }); // [batch, 10]
 * const twin = MultimodalModel.fromConfig(model.getConfig()); // same architecture and initial weights
 */
export class MultimodalModel implements TrainableModel {
  readonly name = 'multimodal';
  readonly numClasses: number;
  /** The modalities used, in the fixed order image, audio, text. */
  readonly modalities: readonly Modality[];
  /** The encoder of each used modality. */
  readonly encoders: Readonly<Partial<Record<Modality, Encoder>>>;
  /** The fusion head (its output width is numClasses). */
  readonly fusion: FusionHead;
  readonly variables: Readonly<Record<string, tf.Variable>>;
  readonly #config: ModelConfig;

  /**
   * Builds the encoders and the head, seeding each that has no seed from the model's seed.
   *
   * @param config The model config (encoder input sizes filled, see fillInputShapes).
   * @throws ConfigError on an invalid config, an encoder or head config its factory rejects, or an
   *   encoder with sequence output (a pooled one is needed).
   */
  constructor(config: ModelConfigInput) {
    const c = loadConfigObject(config, modelConfigSchema, { source: 'multimodal.MultimodalModel' });
    this.numClasses = c.numClasses;
    this.modalities = ORDER.filter((m) => c.modalities.includes(m));
    const encoders: Partial<Record<Modality, Encoder>> = {};
    const encoderConfigs: Partial<Record<Modality, { name: string }>> = {};
    for (const m of this.modalities) {
      const given = c.encoders[m]!;
      const enc = encoderFromConfig({ ...given, seed: given.seed ?? deriveSeed(c.seed, 'encoder', m) % 2 ** 31 });
      if (enc.output !== 'pooled') {
        throw new ConfigError({
          op: 'multimodal.MultimodalModel',
          expected: `an encoder with pooled output for "${m}"`,
          received: `"${enc.name}" with ${enc.output} output`,
          where: `field encoders.${m}`,
          hint: 'use the pooled output of the encoder (its default)',
        });
      }
      encoders[m] = enc;
      encoderConfigs[m] = enc.getConfig();
    }
    this.encoders = encoders;
    const { name, seed, ...fusionOptions } = c.fusion as { name: string; seed?: number };
    this.fusion = fusionFromConfig({
      name,
      ...fusionOptions,
      modalities: Object.fromEntries(this.modalities.map((m) => [m, encoders[m]!.outputDim])),
      outDim: c.numClasses,
      seed: seed ?? deriveSeed(c.seed, 'fusion') % 2 ** 31,
    });
    const fusion = this.fusion.getConfig();
    delete (fusion as Partial<typeof fusion>).modalities;
    delete (fusion as Partial<typeof fusion>).outDim;
    this.#config = { ...c, modalities: [...this.modalities], encoders: encoderConfigs, fusion };
    this.variables = this.#collectVariables();
  }

  /**
   * Rebuilds a model from {@link getConfig} output (from a checkpoint's config.json, a worker message).
   *
   * @throws ConfigError on an invalid config.
   */
  static fromConfig(config: unknown): MultimodalModel {
    return new MultimodalModel(config as ModelConfigInput);
  }

  forward(batch: Batch, options: { training: boolean }): tf.Tensor2D {
    return tf.tidy(() => {
      const features: Record<string, tf.Tensor2D> = {};
      for (const m of this.modalities) {
        const enc = this.encoders[m]!;
        // Token encoders read [ids, attentionMask]; every other one (a vector encoder of pretrained text included) reads `m`.
        const tokens = m === 'text' && enc.inputs.length === 2;
        const xs = tokens ? [this.#input(batch, 'text.ids'), this.#input(batch, 'text.attentionMask')] : [this.#fit(this.#input(batch, m), enc)];
        features[m] = enc.model.apply(xs.length === 1 ? xs[0]! : xs, { training: options.training }) as tf.Tensor2D; // [batch, dim]
      }
      const presence = batch.presence
        ? Object.fromEntries(this.modalities.filter((m) => batch.presence![m]).map((m) => [m, batch.presence![m]!]))
        : undefined;
      return this.fusion.apply(features, { presence, training: options.training }); // [batch, numClasses]
    });
  }

  getConfig(): ModelConfig & { readonly name: 'multimodal' } {
    return structuredClone(this.#config);
  }

  dispose(): void {
    for (const m of this.modalities) this.encoders[m]!.model.dispose();
    this.fusion.dispose();
  }

  #input(batch: Batch, name: string): tf.Tensor {
    const x = batch.inputs[name];
    if (x === undefined) {
      throw new DataError({
        op: 'multimodal.MultimodalModel.forward',
        expected: `an input "${name}"`,
        received: `inputs ${Object.keys(batch.inputs).join(', ') || '(none)'}`,
        hint: 'featurize the modalities the model uses',
      });
    }
    return x;
  }

  /** Reshapes `x` to the encoder's input shape when only unit axes differ ([b, f, m, 1] for a conv1d's [b, f, m]). */
  #fit(x: tf.Tensor, enc: Encoder): tf.Tensor {
    const want = enc.inputs[0]!.shape;
    const got = x.shape.slice(1);
    if (want.join() === got.join()) return x;
    const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
    if (size(want) !== size(got)) {
      throw new DataError({
        op: 'multimodal.MultimodalModel.forward',
        expected: `"${enc.name}" input of shape [batch, ${want.join(', ')}]`,
        received: `[${x.shape.join(', ')}]`,
        hint: 'build the model with fillInputShapes(config, featurizer)',
      });
    }
    return tf.reshape(x, [x.shape[0]!, ...want]);
  }

  #collectVariables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const m of this.modalities) {
      this.encoders[m]!.model.layers.forEach((layer, li) => {
        for (const w of layer.weights) {
          const local = w.originalName.startsWith(`${layer.name}/`) ? w.originalName.slice(layer.name.length + 1) : w.originalName;
          let key = `encoders/${m}/${li}_${layer.getClassName()}/${local}`;
          for (let n = 1; key in out; n++) key = `encoders/${m}/${li}_${layer.getClassName()}/${local}_${n}`;
          out[key] = w.read() as tf.Variable;
        }
      });
    }
    for (const [name, v] of Object.entries(this.fusion.variables)) out[`fusion/${name}`] = v;
    return out;
  }
}
