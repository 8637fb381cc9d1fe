/** The kind of input a {@link FeatureExtractor} reads. */
export type ExtractorModality = 'text' | 'image' | 'audio';

/**
 * A pretrained, frozen model that turns inputs into one feature vector each: text (the strings
 * themselves) or image / audio files (their paths). Its weights never train; wrap it in
 * {@link cachedExtractor} so each input is computed once across epochs and runs.
 *
 * @example
 * const use = await createFeatureExtractor({ type: 'use-lite' });
 * const [a, b] = await use.extract(['a red cat', 'a crimson cat']); // two Float32Array(512)
 * use.dispose();
 */
export interface FeatureExtractor {
  /** What it is, e.g. `use-lite`, `mobilenet-v2`, `transformers:all-MiniLM-L6-v2`. */
  readonly id: string;
  readonly modality: ExtractorModality;
  /** Length of every feature vector. */
  readonly outputDim: number;
  /**
   * Everything that decides the output (model, weights fingerprint, options): equal keys give
   * equal features, so caches key on it.
   */
  readonly cacheKey: string;
  /** One vector per item, in order: text strings, or image / audio file paths. */
  extract(items: readonly string[]): Promise<Float32Array[]>;
  /** Frees the model. */
  dispose(): void;
}
