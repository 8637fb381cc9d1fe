import { fitDuration, loadWav } from '@omnitrain/audio';
import type { ResampleOptions } from '@omnitrain/audio';
import type { AudioLoader } from '@omnitrain/encoders';

/**
 * The {@link AudioLoader} of pretrained audio extractors: a WAV file decoded by @omnitrain/audio
 * (any PCM or float WAV), mixed to mono by averaging its channels, resampled to the model's rate
 * with the band-limited sinc resampler (torchaudio's `resample`, defaults: Hann window, filter
 * width 6, rolloff 0.99) and, when a duration is asked, cut or zero-padded at its end. Its `id`
 * names all of that, so features cached with other settings are never read.
 *
 * @param options Resampler settings (see @omnitrain/audio's `ResampleOptions`). Default: torchaudio's.
 * @returns The loader.
 * @example
 * const extractor = await transformersExtractor({ path: 'models/hubert-base-ls960', modality: 'audio', audioLoader: wavAudioLoader() });
 */
export function wavAudioLoader(options: ResampleOptions = {}): AudioLoader {
  const settings = { window: 'hann', lowpassFilterWidth: 6, rolloff: 0.99, ...options };
  return {
    id: `wav:mono-mean:sinc-${settings.window}-${settings.lowpassFilterWidth}-${settings.rolloff}${settings.beta === undefined ? '' : `-${settings.beta}`}`,
    async load(path, { sampleRate, durationSec }) {
      const clip = await loadWav(path, { mono: true, sampleRate, resample: options });
      return (durationSec === undefined ? clip : fitDuration(clip, durationSec)).channels[0]!;
    },
  };
}
