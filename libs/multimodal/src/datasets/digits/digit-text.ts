import type { Rng } from '@omnitrain/core';
import { DIGIT_WORDS } from './digit-words.js';

const PHRASES = [
  (w: string) => w,
  (w: string) => w,
  (w: string) => `the number ${w}`,
  (w: string) => `digit ${w}`,
  (w: string) => `it is a ${w}`,
  (w: string) => `a handwritten ${w}`,
  (w: string) => `${w}, i think`,
  (w: string) => `looks like ${w}`,
];

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One typo in `word`: a dropped, doubled, swapped or replaced letter. */
function typo(word: string, rng: Rng): string {
  const i = rng.int(0, word.length - 1);
  switch (rng.int(0, 3)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i + 1) + word.slice(i);
    case 2:
      return i + 1 < word.length ? word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2) : word + word[i]!;
    default:
      return word.slice(0, i) + LETTERS[rng.int(0, 25)]! + word.slice(i + 1);
  }
}

/**
 * A caption naming `digit` as a word, varied from `rng`: a phrasing ("the number seven"), a
 * case (lower, Title, UPPER) and, with probability `typoRate`, a typo in the digit's word.
 *
 * @param digit 0 to 9.
 * @param rng The random stream.
 * @param typoRate Probability of a typo. Default 0.2.
 * @example digitText(7, Rng.fromSeed(3)) // 'The number sevn'
 */
export function digitText(digit: number, rng: Rng, typoRate = 0.2): string {
  const base = DIGIT_WORDS[digit]!;
  const word = rng.bernoulli(typoRate) ? typo(base, rng) : base;
  const text = PHRASES[rng.int(0, PHRASES.length - 1)]!(word);
  const style = rng.int(0, 5);
  if (style === 4) return text.toUpperCase();
  if (style === 5) return text[0]!.toUpperCase() + text.slice(1);
  return text;
}
