/** The word-boundary symbol of SentencePiece. */
const BOUNDARY = '\u2581';

/**
 * A SentencePiece unigram tokenizer over a `[piece, score]` vocabulary (the format of Universal
 * Sentence Encoder lite's vocab.json): the text is NFKC-normalized, spaces become `▁` (and one
 * leads), and the segmentation with the highest total score wins (Viterbi over every vocabulary
 * piece matching at every position; later starts win ties). A position no piece reaches becomes the
 * unknown id 0, and runs of unknowns collapse into one. The first `reserved` entries (control
 * symbols) never match text.
 *
 * @example
 * const tok = new SentencePieceTokenizer([['<unk>', 0], ['▁a', -1], ['b', -2]], 1);
 * tok.encode('ab'); // [1, 2]
 */
export class SentencePieceTokenizer {
  readonly #pieces = new Map<string, { id: number; score: number }>();
  readonly #maxLength: number;

  constructor(vocabulary: ReadonlyArray<readonly [string, number]>, reserved = 6) {
    let maxLength = 1;
    vocabulary.forEach(([piece, score], id) => {
      if (id < reserved) return;
      this.#pieces.set(piece, { id, score });
      maxLength = Math.max(maxLength, [...piece].length);
    });
    this.#maxLength = maxLength;
  }

  /** The ids of `text`. */
  encode(text: string): number[] {
    const normalized = text.normalize('NFKC');
    const symbols = [...(normalized.length ? BOUNDARY + normalized.replaceAll(' ', BOUNDARY) : '')];
    const n = symbols.length;
    // best[end]: the best total score of a segmentation of symbols[0, end); 0 = none yet.
    const best = new Float64Array(n + 1);
    const word = new Int32Array(n + 1); // the id of the last piece of that segmentation (0 = unknown)
    const span = new Int32Array(n + 1).fill(1); // its length in symbols
    for (let end = 1; end <= n; end++) {
      for (let start = Math.max(0, end - this.#maxLength); start < end; start++) {
        const hit = this.#pieces.get(symbols.slice(start, end).join(''));
        if (!hit) continue;
        const score = hit.score + best[start]!;
        if (best[end] === 0 || score >= best[end]!) {
          best[end] = score;
          word[end] = hit.id;
          span[end] = end - start;
        }
      }
    }
    const ids: number[] = [];
    for (let at = n; at > 0; at -= span[at]!) ids.push(word[at]!);
    ids.reverse();
    return ids.filter((id, i) => !(id === 0 && ids[i - 1] === 0));
  }
}
