/** What an {@link AudioLoader} is asked for. */
export interface AudioLoadOptions {
  /** The model's sampling rate (Hz): the samples returned are at this rate. */
  sampleRate: number;
  /** Cut or zero-pad the clip at its end to this many seconds. Default: the whole clip. */
  durationSec?: number;
}

/**
 * How an audio extractor reads a file: decode, mix to one channel, resample to the model's rate,
 * fit the duration. Passed in by the caller (e.g. @omnitrain/multimodal's `wavAudioLoader`, built
 * on @omnitrain/audio's `loadWav`), so @omnitrain/encoders carries no decoder of its own.
 *
 * @example
 * const loader: AudioLoader = {
 *   id: 'wav:mono-mean:sinc-hann-6-0.99',
 *   load: async (path, { sampleRate }) => (await loadWav(path, { mono: true, sampleRate })).channels[0]!,
 * };
 */
export interface AudioLoader {
  /**
   * Names everything that decides the samples (decoder, channel mix, resampler and its settings):
   * part of the extractor's `cacheKey`, so a changed loader never reads features cached by another.
   */
  readonly id: string;
  /**
   * One clip as mono Float32 PCM at `sampleRate`, exactly `round(durationSec * sampleRate)` samples
   * when `durationSec` is given.
   *
   * @throws DataError naming the file when it cannot be read or decoded.
   */
  load(path: string, options: AudioLoadOptions): Promise<Float32Array>;
}
