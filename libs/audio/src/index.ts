// The public door of @omnitrain/audio: everything other libs and users may import.
import './augment/register-augmentations.js';
import './clean/register-validators.js';

// --- WAV decoding ---
export { clipDuration } from './wav/audio-clip.js';
export type { AudioClip } from './wav/audio-clip.js';
export { readWavInfo } from './wav/read-wav-info.js';
export type { WavInfo, WavEncoding, WavReadOptions } from './wav/read-wav-info.js';
export { decodeWav } from './wav/decode-wav.js';
export type { DecodeWavOptions } from './wav/decode-wav.js';
export { loadWav } from './wav/load-wav.js';
export type { LoadWavOptions } from './wav/load-wav.js';
export { toMono } from './wav/to-mono.js';
export { fitDuration } from './wav/fit-duration.js';
export type { FitDurationOptions } from './wav/fit-duration.js';
export { encodeWav } from './wav/encode-wav.js';

// --- resampling ---
export { resample } from './resample/resample.js';
export type { ResampleOptions } from './resample/resample.js';
export type { ResampleWindow } from './resample/sinc-resample-kernel.js';

// --- spectral features (fft.js; torchaudio-compatible) ---
export type { Spectrogram } from './spectral/spectrogram.js';
export { RealFft } from './spectral/real-fft.js';
export { windowFunction, WINDOW_KINDS } from './spectral/window-function.js';
export type { WindowKind } from './spectral/window-function.js';
export { SpectrogramTransform } from './spectral/spectrogram-transform.js';
export type { SpectrogramOptions, SpectrogramConfig } from './spectral/spectrogram-transform.js';
export { hzToMel, melToHz } from './spectral/mel-scale.js';
export type { MelScale } from './spectral/mel-scale.js';
export { melFilterBank } from './spectral/mel-filter-bank.js';
export type { MelFilterBank, MelFilterBankOptions, MelFilterBankConfig } from './spectral/mel-filter-bank.js';
export { MelSpectrogramTransform, MEL_KERNELS } from './spectral/mel-spectrogram-transform.js';
export type { MelSpectrogramOptions, MelSpectrogramConfig, MelKernel } from './spectral/mel-spectrogram-transform.js';
export { amplitudeToDb } from './spectral/amplitude-to-db.js';
export type { AmplitudeToDbOptions } from './spectral/amplitude-to-db.js';
export { LogMelSpectrogramTransform } from './spectral/log-mel-spectrogram-transform.js';
export type { LogMelSpectrogramOptions, LogMelSpectrogramConfig } from './spectral/log-mel-spectrogram-transform.js';
export { dctMatrix } from './spectral/dct-matrix.js';
export { MfccTransform } from './spectral/mfcc-transform.js';
export type { MfccOptions, MfccConfig } from './spectral/mfcc-transform.js';

// --- augmentation (seeded through core's Rng, serializable) ---
export { audioAugmentations, audioAugmentationFromConfig } from './augment/audio-augmentation.js';
export type { AudioAugmentation, AudioAugmentationConfig, AudioDomain, AudioDomainValue } from './augment/audio-augmentation.js';
export { Gain } from './augment/gain.js';
export type { GainConfig } from './augment/gain.js';
export { NoiseAtSnr } from './augment/noise-at-snr.js';
export type { NoiseAtSnrConfig } from './augment/noise-at-snr.js';
export { TimeShift } from './augment/time-shift.js';
export type { TimeShiftConfig } from './augment/time-shift.js';
export { SpeedChange } from './augment/speed-change.js';
export type { SpeedChangeConfig } from './augment/speed-change.js';
export { SpectrogramMask } from './augment/spectrogram-mask.js';
export type { SpectrogramMaskConfig, SpectrogramMaskOptions } from './augment/spectrogram-mask.js';
export { AudioCompose } from './augment/audio-compose.js';
export type { AudioComposeConfig } from './augment/audio-compose.js';
export { AudioRandomApply } from './augment/audio-random-apply.js';
export type { AudioRandomApplyConfig } from './augment/audio-random-apply.js';

// --- cleaning: validators added to @omnitrain/data's sampleValidators ---
export { unreadableAudioValidator } from './clean/unreadable-audio-validator.js';
export { audioDurationValidator } from './clean/audio-duration-validator.js';
export type { AudioDurationRange } from './clean/audio-duration-validator.js';
