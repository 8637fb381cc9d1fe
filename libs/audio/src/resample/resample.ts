import { checkChoice, checkNumber } from '../options/check-options.js';
import { sincResampleKernel } from './sinc-resample-kernel.js';
import type { ResampleWindow } from './sinc-resample-kernel.js';

/** Options of {@link resample}; the defaults are torchaudio's. */
export interface ResampleOptions {
  /** Zero crossings of the sinc on each side: sharper cut-off, more work. Default 6. */
  lowpassFilterWidth?: number;
  /** Cut-off as a fraction of the lower Nyquist frequency (anti-aliasing margin). Default 0.99. */
  rolloff?: number;
  /** Window of the sinc: `'hann'` (torchaudio's `sinc_interp_hann`) or `'kaiser'`. Default `'hann'`. */
  window?: ResampleWindow;
  /** Kaiser window shape. Default 14.769656459379492 (torchaudio's). */
  beta?: number;
}

/**
 * Band-limited resampling with a polyphase windowed-sinc filter, the algorithm (and, to float32
 * rounding, the output) of `torchaudio.functional.resample`: the rates are reduced by their
 * greatest common divisor and each output sample is a filtered sum of the input around it, so
 * `from`/`to` pairs like 44100/16000 are exact (no drift) and content above the lower Nyquist
 * frequency is removed instead of aliased. The output has `ceil(length * to / from)` samples.
 *
 * @param samples One channel.
 * @param from Its sample rate, an integer (Hz).
 * @param to The target sample rate, an integer (Hz).
 * @param options Filter width, rolloff, window (see {@link ResampleOptions}).
 * @returns A new array (a copy when the rates are equal).
 * @throws ConfigError on non-integer rates or bad options.
 * @example
 * const at16k = resample(clip.channels[0], 44_100, 16_000);
 */
export function resample(samples: Float32Array, from: number, to: number, options: ResampleOptions = {}): Float32Array {
  const op = 'audio.resample';
  checkNumber(op, 'from', from, { min: 1, integer: true });
  checkNumber(op, 'to', to, { min: 1, integer: true });
  const lowpassFilterWidth = checkNumber(op, 'lowpassFilterWidth', options.lowpassFilterWidth ?? 6, { min: 1, integer: true });
  const rolloff = checkNumber(op, 'rolloff', options.rolloff ?? 0.99, { min: 0, minExclusive: true, max: 1 });
  const window = checkChoice(op, 'window', options.window ?? 'hann', ['hann', 'kaiser'] as const);
  const beta = checkNumber(op, 'beta', options.beta ?? 14.769656459379492, { min: 0 });
  if (from === to) return samples.slice();
  const { stride, phases, taps, width, weights, support } = sincResampleKernel({ from, to, lowpassFilterWidth, rolloff, window, beta });
  const n = samples.length;
  const outLength = Math.ceil((phases * n) / stride);
  const out = new Float32Array(outLength);
  for (let o = 0; o < outLength; o++) {
    const block = Math.floor(o / phases);
    const phase = o - block * phases;
    const row = phase * taps;
    // Tap k reads input sample block * stride - width + k (zero outside the input).
    const first = block * stride - width;
    const kFrom = Math.max(support[2 * phase]!, -first);
    const kTo = Math.min(support[2 * phase + 1]!, n - first);
    let acc = 0;
    for (let k = kFrom; k < kTo; k++) acc += weights[row + k]! * samples[first + k]!;
    out[o] = acc;
  }
  return out;
}
