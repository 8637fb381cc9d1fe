import { floatImage } from '@omnitrain/image';
import type { FloatImage } from '@omnitrain/image';
import { Rng } from '@omnitrain/core';
import type { DigitsOptions } from './digits-options.js';
import type { DigitSamplePlan } from './plan-digit-samples.js';
import { MNIST_SIZE } from './mnist-digits.js';
import type { MnistDigitSet } from './mnist-digits.js';

/**
 * The image of a planned sample: its MNIST digit, or when corrupt the same pixels in a random
 * order plus Gaussian noise (the ink is there, the shape is gone). Draws from the plan's media seed.
 *
 * @param plan The sample's plan.
 * @param mnist The MNIST sets by digit.
 * @example renderDigitImage(plans[0], mnistDigits()).shape // [28, 28, 1]
 */
export function renderDigitImage(plan: DigitSamplePlan, mnist: readonly MnistDigitSet[]): FloatImage {
  const size = MNIST_SIZE * MNIST_SIZE;
  const pixels = mnist[plan.digit]!.pixels.slice(plan.mnistIndex * size, (plan.mnistIndex + 1) * size);
  if (plan.conditions.image === 'corrupt') {
    const rng = Rng.stream(plan.mediaSeed, { purpose: 'image' });
    const order = rng.permutation(size);
    const scrambled = Float32Array.from(order, (i) => Math.min(1, Math.max(0, pixels[i]! + rng.normal(0, 0.15))));
    return floatImage([MNIST_SIZE, MNIST_SIZE, 1], scrambled);
  }
  return floatImage([MNIST_SIZE, MNIST_SIZE, 1], pixels);
}

/**
 * The clip of a planned sample: the speaker's word at a random offset and gain in
 * `durationSec` of background noise at a random SNR from `snrDb`; when corrupt, noise only.
 *
 * @param plan The sample's plan.
 * @param speech The speaker's word at `options.sampleRate` (see speakDigit).
 * @param options The dataset options (rate, duration, SNR range).
 * @returns `round(durationSec * sampleRate)` samples in [-1, 1].
 * @example renderDigitAudio(plan, speakDigit(plan.digit, voices[plan.speaker], 8000), options)
 */
export function renderDigitAudio(plan: DigitSamplePlan, speech: Float32Array, options: DigitsOptions): Float32Array {
  const rng = Rng.stream(plan.mediaSeed, { purpose: 'audio' });
  const length = Math.round(options.durationSec * options.sampleRate);
  const out = new Float32Array(length);
  const gain = 0.5 + 0.5 * rng.float();
  const room = Math.max(0, length - speech.length);
  const offset = rng.int(0, Math.min(room, Math.round(0.25 * options.sampleRate)));
  let power = 0;
  for (let i = 0; i < speech.length && offset + i < length; i++) {
    out[offset + i] = speech[i]! * gain;
    power += out[offset + i]! ** 2;
  }
  const rms = Math.sqrt(power / Math.max(1, Math.min(speech.length, length - offset)));
  const snr = options.snrDb[0] + (options.snrDb[1] - options.snrDb[0]) * rng.float();
  const noiseStd = rms / 10 ** (snr / 20);
  if (plan.conditions.audio === 'corrupt') out.fill(0);
  for (let i = 0; i < length; i++) out[i] = Math.min(1, Math.max(-1, out[i]! + rng.normal(0, noiseStd)));
  return out;
}
