/**
 * The whitespace-separated words of a text; augmentations that change words join them with one space.
 *
 * @example splitWords('  the  cat\tsat ') // ['the', 'cat', 'sat']
 */
export function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}
