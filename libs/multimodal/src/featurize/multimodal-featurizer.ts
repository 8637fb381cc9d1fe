import { ConfigError, DataError, Rng, deriveSeed } from '@omnitrain/core';
import { normalizeText, sampleWhere } from '@omnitrain/data';
import type { Modality, Sample } from '@omnitrain/data';
import { AudioFeaturizer } from './audio-featurizer.js';
import type { FeaturesConfig } from './features-config.js';
import { ImageFeaturizer } from './image-featurizer.js';
import { TextFeaturizer } from './text-featurizer.js';
import type { TextFeatures } from './text-featurizer.js';

/** The modalities a multi-modal model may use, in their fixed order. */
export const MODALITIES: readonly Modality[] = ['image', 'audio', 'text'];

/** One sample as model inputs: a field per modality it has (missing modalities are absent). */
export interface SampleFeatures {
  id: string;
  /** Class id (index in the classes). */
  label: number;
  /** `[h, w, c]` values. */
  image?: Float32Array;
  /** `[frames, mels]` values. */
  audio?: Float32Array;
  text?: TextFeatures;
}

/** Options of {@link MultimodalFeaturizer.create}. */
export interface MultimodalFeaturizerOptions {
  /** A validated features config (parseFeaturesConfig). */
  config: FeaturesConfig;
  /** The modalities to featurize; others are ignored even when samples have them. Default all three. */
  modalities?: readonly Modality[];
  /** The class names in class-id order. */
  classes: readonly string[];
  /** The training split, whose texts fit the vocab tokenizer (the same on every rank). */
  trainSamples: readonly Sample[];
}

/**
 * Turns samples into features, one featurizer per used modality, decoding each file once (the
 * decoded values stay in memory) and augmenting training samples with a stream seeded by
 * (features seed, epoch, sample id): the same sample in the same epoch gets the same augmentation
 * on any rank, in any batch, after any resume.
 *
 * @example
 * const f = await MultimodalFeaturizer.create({ config: parseFeaturesConfig({}), classes, trainSamples: splits.train });
 * const x = await f.featurize(splits.train[0], { epoch: 3, training: true }); // { id, label, image, audio, text }
 */
export class MultimodalFeaturizer {
  readonly modalities: readonly Modality[];
  readonly classes: readonly string[];
  readonly image: ImageFeaturizer | undefined;
  readonly audio: AudioFeaturizer | undefined;
  readonly text: TextFeaturizer | undefined;
  readonly #seed: number;

  private constructor(
    modalities: readonly Modality[],
    classes: readonly string[],
    seed: number,
    parts: { image?: ImageFeaturizer; audio?: AudioFeaturizer; text?: TextFeaturizer },
  ) {
    this.modalities = modalities;
    this.classes = classes;
    this.#seed = seed;
    this.image = parts.image;
    this.audio = parts.audio;
    this.text = parts.text;
  }

  /**
   * Builds the featurizers (fits the vocab tokenizer on the training texts).
   *
   * @param options Config, modalities, classes, training samples.
   * @throws ConfigError on an unknown or repeated modality, or no classes.
   */
  static async create(options: MultimodalFeaturizerOptions): Promise<MultimodalFeaturizer> {
    const modalities = options.modalities ?? MODALITIES;
    const bad = modalities.find((m, i) => !MODALITIES.includes(m) || modalities.indexOf(m) !== i);
    if (bad !== undefined || modalities.length === 0 || options.classes.length === 0) {
      throw new ConfigError({
        op: 'multimodal.MultimodalFeaturizer',
        expected: `distinct modalities among ${MODALITIES.join(', ')} and at least one class`,
        received: `modalities [${modalities.join(', ')}], ${options.classes.length} classes`,
      });
    }
    const ordered = MODALITIES.filter((m) => modalities.includes(m));
    const { config } = options;
    const trainTexts = options.trainSamples.flatMap((s) => (s.text === undefined ? [] : [s.text]));
    return new MultimodalFeaturizer(ordered, [...options.classes], config.seed, {
      image: ordered.includes('image') ? new ImageFeaturizer(config.image) : undefined,
      audio: ordered.includes('audio') ? new AudioFeaturizer(config.audio) : undefined,
      text: ordered.includes('text') ? await TextFeaturizer.create(config.text, trainTexts) : undefined,
    });
  }

  /** Shape of one sample's input per used modality: image `[h, w, c]`, audio `[frames, mels, 1]`, text `[maxLength]`. */
  inputShapes(): Partial<Record<Modality, readonly number[]>> {
    const shapes: Partial<Record<Modality, readonly number[]>> = {};
    if (this.image) shapes.image = this.image.shape;
    if (this.audio) shapes.audio = this.audio.shape;
    if (this.text) shapes.text = [this.text.maxLength];
    return shapes;
  }

  /**
   * The features of one sample; a modality the sample lacks (or blank text) is left out.
   *
   * @param sample The sample.
   * @param options `training` turns augmentation on for `epoch`. Default: no augmentation.
   * @throws DataError naming the file when a file cannot be decoded, or the sample when its label is unknown.
   */
  async featurize(sample: Sample, options: { epoch?: number; training?: boolean } = {}): Promise<SampleFeatures> {
    const label = this.classes.indexOf(sample.labels[0] ?? '');
    if (label < 0) {
      throw new DataError({
        op: 'multimodal.featurize',
        expected: `one label among ${this.classes.join(', ')}`,
        received: JSON.stringify(sample.labels),
        where: `sample ${sample.id} (${sampleWhere(sample.source, 'label')})`,
        hint: 'clean the samples with cleanSamples({ classes }) first',
      });
    }
    const seed = options.training ? deriveSeed(this.#seed, 'augment', options.epoch ?? 0, sample.id) : undefined;
    const rng = (purpose: string): Rng | undefined => (seed === undefined ? undefined : Rng.stream(seed, { purpose }));
    const out: SampleFeatures = { id: sample.id, label };
    const [image, audio] = await Promise.all([
      this.image && sample.image !== undefined ? this.image.features(sample.image, rng('augment-image')) : undefined,
      this.audio && sample.audio !== undefined ? this.audio.features(sample.audio, rng('augment-audio')) : undefined,
    ]);
    if (image) out.image = image;
    if (audio) out.audio = audio;
    if (this.text && sample.text !== undefined && normalizeText(sample.text) !== '') out.text = this.text.features(sample.text);
    return out;
  }
}
