import { ConfigError } from '@omnitrain/core';
import { normalizeText } from '@omnitrain/data';
import type { Modality, Sample } from '@omnitrain/data';
import { cachedExtractor, createFeatureExtractor } from '@omnitrain/encoders';
import type { CacheStats, FeatureExtractor } from '@omnitrain/encoders';
import { extractorModality } from './extractor-modality.js';
import { parsePretrainedFeaturesConfig } from './pretrained-features-config.js';
import { wavAudioLoader } from './wav-audio-loader.js';

/** Options of {@link PretrainedFeaturizer.create}. */
export interface PretrainedFeaturizerOptions {
  /** The `pretrained` section (validated here): an extractor config per modality. */
  config: unknown;
  /** The modalities to featurize; configured ones outside it are not loaded. Default all. */
  modalities?: readonly Modality[];
  /**
   * Feature cache folder for extractors whose config sets no `cacheDir` of its own (each input is
   * then computed once across epochs and runs). Default: only the configs' own `cacheDir`.
   */
  cacheDir?: string;
  /** Told when a cache file is unreadable and rebuilt. Default: a line on stderr. */
  onWarning?: (message: string) => void;
}

/** One sample's pretrained features: a vector per modality it has (missing or blank ones absent). */
export interface PretrainedSampleFeatures {
  id: string;
  image?: Float32Array;
  audio?: Float32Array;
  text?: Float32Array;
}

const HINTS = {
  image: 'use { type: "mobilenet-v2" } or { type: "transformers", modality: "image", path }',
  audio: 'use { type: "transformers", modality: "audio", path } (a wav2vec2 / HuBERT / WavLM folder)',
  text: 'use { type: "use-lite" } or { type: "transformers", path }',
} as const;

type Part = { modality: 'image' | 'audio' | 'text'; extractor: FeatureExtractor; stats?: () => CacheStats };

/**
 * Turns samples into frozen, pretrained feature vectors (one per configured modality) with the
 * extractors of @omnitrain/encoders, through the on-disk feature cache when a cache folder is set:
 * every text / image file / audio file is run through its model once, later epochs and runs read
 * the cache. Audio files are read by {@link wavAudioLoader} (mono mix, resampled to the model's rate).
 * Each call batches all samples of a modality into one extractor call.
 *
 * @example
 * const f = await PretrainedFeaturizer.create({ config: { text: { type: 'use-lite' } }, cacheDir: 'runs/.features' });
 * const [x] = await f.featurize(splits.train); // { id, text: Float32Array(512) }
 * f.inputShapes(); // { text: [512] }
 * f.dispose();
 */
export class PretrainedFeaturizer {
  /** The modalities featurized, in the fixed order image, audio, text. */
  readonly modalities: readonly Modality[];
  readonly #parts: readonly Part[];

  private constructor(parts: readonly Part[]) {
    this.#parts = parts;
    this.modalities = parts.map((p) => p.modality);
  }

  /**
   * Validates the config and loads each configured extractor (offline).
   *
   * @param options Config, modalities, cache folder.
   * @throws ConfigError on an invalid config, or an extractor that reads another modality than the
   *   one it is configured for (naming `pretrained.<modality>.type`); BackendError when the package
   *   with an extractor's weights is missing.
   */
  static async create(options: PretrainedFeaturizerOptions): Promise<PretrainedFeaturizer> {
    const config = parsePretrainedFeaturesConfig(options.config, 'pretrained');
    const wanted = options.modalities ?? ['image', 'audio', 'text'];
    const chosen = (['image', 'audio', 'text'] as const).flatMap((m) => {
      const c = config[m];
      return c !== undefined && wanted.includes(m) ? [{ modality: m, c }] : [];
    });
    for (const { modality, c } of chosen) {
      if (extractorModality(c) !== modality) {
        throw new ConfigError({
          op: 'multimodal.PretrainedFeaturizer',
          expected: `pretrained.${modality}.type: an extractor that reads ${modality}`,
          received: `${c.type}${c.type === 'transformers' ? ` with modality ${c.modality}` : ''}, which reads ${extractorModality(c)}`,
          hint: HINTS[modality],
        });
      }
    }
    const parts: Part[] = [];
    try {
      for (const { modality, c } of chosen) {
        const dir = c.cacheDir ?? options.cacheDir;
        const inner = await createFeatureExtractor({ ...c, cacheDir: undefined }, { audioLoader: wavAudioLoader() });
        if (dir === undefined) {
          parts.push({ modality, extractor: inner });
        } else {
          const cached = cachedExtractor(inner, { dir, onWarning: options.onWarning });
          parts.push({ modality, extractor: cached, stats: () => cached.stats() });
        }
      }
    } catch (error) {
      parts.forEach((p) => p.extractor.dispose());
      throw error;
    }
    return new PretrainedFeaturizer(parts);
  }

  /** Shape of one sample's input per featurized modality: `[outputDim]` of its extractor. */
  inputShapes(): Partial<Record<Modality, readonly number[]>> {
    return Object.fromEntries(this.#parts.map((p) => [p.modality, [p.extractor.outputDim]]));
  }

  /** The extractor of a modality (its `id`, `outputDim`, `cacheKey`), if featurized. */
  extractor(modality: Modality): FeatureExtractor | undefined {
    return this.#parts.find((p) => p.modality === modality)?.extractor;
  }

  /**
   * How the feature cache of each cached modality served the last {@link featurize} call.
   *
   * @returns `{ text: { hits, misses }, ... }`; uncached modalities are absent.
   */
  cacheStats(): Partial<Record<Modality, CacheStats>> {
    return Object.fromEntries(this.#parts.flatMap((p) => (p.stats ? [[p.modality, p.stats()]] : [])));
  }

  /**
   * The pretrained features of `samples`, in order: one extractor call per modality for all of
   * them; a modality a sample lacks (or blank text) is left out of its entry.
   *
   * @param samples The samples (image, audio: file paths; text: the strings).
   * @throws DataError / BackendError of the extractor, naming the file it could not read.
   */
  async featurize(samples: readonly Sample[]): Promise<PretrainedSampleFeatures[]> {
    const out: PretrainedSampleFeatures[] = samples.map((s) => ({ id: s.id }));
    for (const { modality, extractor } of this.#parts) {
      const at: number[] = [];
      const items: string[] = [];
      samples.forEach((s, i) => {
        const item = s[modality];
        if (item === undefined || (modality === 'text' && normalizeText(item) === '')) return;
        at.push(i);
        items.push(item);
      });
      if (items.length === 0) continue;
      const vectors = await extractor.extract(items);
      at.forEach((i, k) => (out[i]![modality] = vectors[k]!));
    }
    return out;
  }

  /** Frees every extractor's model. */
  dispose(): void {
    this.#parts.forEach((p) => p.extractor.dispose());
  }
}
