import { ConfigError, Rng, deriveSeed } from '@omnitrain/core';
import type { DigitsOptions } from './digits-options.js';
import type { MnistDigitSet } from './mnist-digits.js';
import { digitText } from './digit-text.js';

/** What happened to one modality of a sample: fine, absent from the row, or present but useless. */
export type DigitCondition = 'ok' | 'missing' | 'corrupt';

/** Everything random about one sample of the digits set, drawn up front so writing order cannot matter. */
export interface DigitSamplePlan {
  id: string;
  digit: number;
  split: 'train' | 'val' | 'test';
  /** Index of its image in the MNIST set of its digit. */
  mnistIndex: number;
  speaker: number;
  conditions: { image: DigitCondition; audio: DigitCondition; text: DigitCondition };
  /** The caption ('' when the text is missing). */
  text: string;
  /** Seed of the per-sample draws made while writing (image scramble, audio offset, gain, noise). */
  mediaSeed: number;
}

function condition(rng: Rng, rates: { missing: number; corrupt: number }): DigitCondition {
  const u = rng.float();
  return u < rates.missing ? 'missing' : u < rates.missing + rates.corrupt ? 'corrupt' : 'ok';
}

/**
 * Draws the plan of every sample: per digit `samplesPerClass` distinct MNIST images (seeded), a
 * voice, a caption, the split (by position in the class: the first ones train) and, for each
 * modality independently, whether it is fine, missing or corrupt. A row never loses both media
 * files (its image is then scrambled instead of dropped): cleaning keeps every row, as no row is
 * empty and none repeats another's content (a caption alone, like "seven", would). Rows interleave
 * the digits: `0-0000, 1-0000, ..., 9-0000, 0-0001, ...`.
 *
 * @param options Validated dataset options.
 * @param mnist The MNIST sets by digit.
 * @throws ConfigError when a digit has fewer images than `samplesPerClass`.
 * @example const plans = planDigitSamples(digitsOptionsSchema.parse({ samplesPerClass: 20 }), mnistDigits());
 */
export function planDigitSamples(options: DigitsOptions, mnist: readonly MnistDigitSet[]): DigitSamplePlan[] {
  const n = options.samplesPerClass;
  const nVal = Math.round(n * options.valFraction);
  const nTest = Math.round(n * options.testFraction);
  const picks = mnist.map((set, digit) => {
    if (set.count < n) {
      throw new ConfigError({
        op: 'multimodal.buildDigits',
        expected: `samplesPerClass <= ${set.count} (MNIST images of digit ${digit})`,
        received: String(n),
      });
    }
    return Rng.fromSeed(deriveSeed(options.seed, 'digits-mnist', digit)).permutation(set.count);
  });
  const plans: DigitSamplePlan[] = [];
  for (let k = 0; k < n; k++) {
    for (let digit = 0; digit < 10; digit++) {
      const rng = Rng.fromSeed(deriveSeed(options.seed, 'digits-sample', digit, k));
      const conditions = { image: condition(rng, options.image), audio: condition(rng, options.audio), text: condition(rng, options.text) };
      if (conditions.image === 'missing' && conditions.audio === 'missing') {
        conditions.image = 'corrupt';
      }
      const other = (digit + rng.int(1, 9)) % 10;
      const captioned = conditions.text === 'corrupt' ? other : digit;
      const text = digitText(captioned, rng, options.typoRate);
      plans.push({
        id: `${digit}-${String(k).padStart(4, '0')}`,
        digit,
        split: k < n - nVal - nTest ? 'train' : k < n - nTest ? 'val' : 'test',
        mnistIndex: picks[digit]![k]!,
        speaker: rng.int(0, options.speakers - 1),
        conditions,
        text: conditions.text === 'missing' ? '' : text,
        mediaSeed: rng.seed(),
      });
    }
  }
  return plans;
}
