import { ConfigError, DataError, Rng, deriveSeed } from '@omnitrain/core';
import { normalizeText, sampleWhere } from '@omnitrain/data';
import type { Modality, Sample } from '@omnitrain/data';
import type { CacheStats } from '@omnitrain/encoders';
import { PretrainedFeaturizer } from '../pretrained/pretrained-featurizer.js';
import { PretrainedVectors } from '../pretrained/pretrained-vectors.js';
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
  /** The `[dim]` vectors of the modalities read by a pretrained extractor (`image` / `audio` / `text` above are then absent). */
  vectors?: { image?: Float32Array; audio?: Float32Array; text?: Float32Array };
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
  /**
   * Feature cache folder of the pretrained extractors whose config sets no `cacheDir` (each
   * distinct input is then computed once, across epochs and runs). Default: only the configs' own.
   */
  cacheDir?: string;
  /** Told when a feature cache file is unreadable and rebuilt. Default: a line on stderr. */
  onWarning?: (message: string) => void;
}

/**
 * Turns samples into features, one featurizer per used modality, decoding each file once (the
 * decoded values stay in memory) and augmenting training samples with a stream seeded by
 * (features seed, epoch, sample id): the same sample in the same epoch gets the same augmentation
 * on any rank, in any batch, after any resume. A modality with `pretrained` set gets its frozen
 * extractor's vector instead (see {@link PretrainedVectors}: requests of one tick are batched into
 * one extractor call, each input is computed once per process and, with a cache folder, once ever).
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
  /** The frozen extractors of the modalities with `pretrained` set (undefined when none is). */
  readonly pretrained: PretrainedVectors | undefined;
  readonly #seed: number;

  private constructor(
    modalities: readonly Modality[],
    classes: readonly string[],
    seed: number,
    parts: { image?: ImageFeaturizer; audio?: AudioFeaturizer; text?: TextFeaturizer; pretrained?: PretrainedVectors },
  ) {
    this.modalities = modalities;
    this.classes = classes;
    this.#seed = seed;
    this.image = parts.image;
    this.audio = parts.audio;
    this.text = parts.text;
    this.pretrained = parts.pretrained;
  }

  /**
   * Builds the featurizers (fits the vocab tokenizer on the training texts) and loads the
   * pretrained extractors (offline).
   *
   * @param options Config, modalities, classes, training samples, feature cache folder.
   * @throws ConfigError on an unknown or repeated modality, or no classes; the extractors'
   *   ConfigError / BackendError / DataError (e.g. a missing model folder, named).
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
    const frozen = (m: Modality) => ordered.includes(m) && config[m].pretrained !== undefined;
    const trainable = (m: Modality) => ordered.includes(m) && !frozen(m);
    const pretrained =
      frozen('image') || frozen('audio') || frozen('text')
        ? new PretrainedVectors(
            await PretrainedFeaturizer.create({
              config: { image: config.image.pretrained, audio: config.audio.pretrained, text: config.text.pretrained },
              modalities: ordered,
              cacheDir: options.cacheDir,
              onWarning: options.onWarning,
            }),
          )
        : undefined;
    return new MultimodalFeaturizer(ordered, [...options.classes], config.seed, {
      image: trainable('image') ? new ImageFeaturizer(config.image) : undefined,
      audio: trainable('audio') ? new AudioFeaturizer(config.audio) : undefined,
      text: trainable('text') ? await TextFeaturizer.create(config.text, trainTexts) : undefined,
      pretrained,
    });
  }

  /** Whether `modality` is read by a pretrained, frozen extractor (its input is a `[dim]` vector). */
  isPretrained(modality: Modality): boolean {
    return this.pretrained?.modalities.includes(modality) ?? false;
  }

  /**
   * Computes the pretrained features of `samples` now, in one extractor call per modality (through
   * the feature cache), so the epochs that follow read them from memory. Optional: featurize
   * computes what is missing, batched per tick. A no-op without pretrained modalities.
   *
   * @param samples Every sample the run will read (all splits).
   * @throws The extractor's DataError naming a file it cannot read.
   * @example await featurizer.prepare([...splits.train, ...splits.val]);
   */
  async prepare(samples: readonly Sample[]): Promise<void> {
    await this.pretrained?.prepare(samples);
  }

  /**
   * What the pretrained extractors did so far, per modality: `misses` inputs computed by the
   * model, `hits` read from the disk cache (inputs served from memory count in neither).
   */
  extractorStats(): Partial<Record<Modality, CacheStats>> {
    return this.pretrained?.stats() ?? {};
  }

  /** Frees the pretrained extractors' models (the trainable featurizers hold no tensors). */
  dispose(): void {
    this.pretrained?.dispose();
  }

  /**
   * Shape of one sample's input per used modality: image `[h, w, c]`, audio `[frames, mels, 1]`,
   * text `[maxLength]`; `[dim]` of its extractor for a pretrained modality.
   */
  inputShapes(): Partial<Record<Modality, readonly number[]>> {
    const shapes: Partial<Record<Modality, readonly number[]>> = { ...this.pretrained?.inputShapes() };
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
    const [image, audio, vectors] = await Promise.all([
      this.image && sample.image !== undefined ? this.image.features(sample.image, rng('augment-image')) : undefined,
      this.audio && sample.audio !== undefined ? this.audio.features(sample.audio, rng('augment-audio')) : undefined,
      this.pretrained?.vectors(sample),
    ]);
    if (image) out.image = image;
    if (audio) out.audio = audio;
    if (this.text && sample.text !== undefined && normalizeText(sample.text) !== '') out.text = this.text.features(sample.text);
    if (vectors && (vectors.image || vectors.audio || vectors.text)) out.vectors = vectors;
    return out;
  }
}
