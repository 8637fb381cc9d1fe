/**
 * A word: letters, marks, digits and underscores, with inner apostrophes (`don't`, `l'eau`);
 * anything else that is not a space is a token of its own (punctuation, symbols).
 */
const WORD = /[\p{L}\p{M}\p{N}_]+(?:['\u2019][\p{L}\p{M}\p{N}_]+)*|[^\s\p{L}\p{M}\p{N}_]/gu;

/**
 * Splits normalized text into the built-in tokenizer's tokens: words and single punctuation marks
 * (`'word'`), or Unicode code points, spaces included (`'char'`).
 *
 * @example splitTokens("don't stop!", 'word') // ["don't", 'stop', '!']
 */
export function splitTokens(text: string, level: 'word' | 'char'): string[] {
  return level === 'char' ? Array.from(text) : (text.match(WORD) ?? []);
}
