// An independent GPT-2 encoder written from OpenAI's encoder.py (gpt-2/src/encoder.py): the same
// regex, byte-to-unicode table and lowest-rank-first merging, over the vocab and merges of a
// tokenizer.json. An oracle for transformers.js' byte-level BPE that shares none of its code.
const PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

function bytesToUnicode(): string[] {
  const printable = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
  const bs = [...printable(0x21, 0x7e), ...printable(0xa1, 0xac), ...printable(0xae, 0xff)];
  const table: string[] = new Array(256);
  for (const b of bs) table[b] = String.fromCodePoint(b);
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) table[b] = String.fromCodePoint(256 + n++);
  return table;
}

interface TokenizerJson {
  added_tokens: { id: number; content: string }[];
  model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
}

/** Builds `encode(text) -> ids` for GPT-2-style tokenizer.json contents; added tokens (`<|endoftext|>`) are matched first. */
export function gpt2ReferenceEncoder(json: TokenizerJson): (text: string) => number[] {
  const byteChar = bytesToUnicode();
  const ranks = new Map<string, number>();
  json.model.merges.forEach((m, i) => ranks.set(Array.isArray(m) ? m.join(' ') : m, i));
  const vocab = json.model.vocab;
  const cache = new Map<string, number[]>();

  const bpe = (token: string): number[] => {
    const hit = cache.get(token);
    if (hit) return hit;
    let word = [...token];
    while (word.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < word.length; i++) {
        const r = ranks.get(`${word[i]} ${word[i + 1]}`);
        if (r !== undefined && r < bestRank) [best, bestRank] = [i, r];
      }
      if (best < 0) break;
      const [a, b] = [word[best], word[best + 1]];
      const next: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i + 1 < word.length && word[i] === a && word[i + 1] === b) {
          next.push(a + b);
          i++;
        } else {
          next.push(word[i]);
        }
      }
      word = next;
    }
    const ids = word.map((piece) => {
      const id = vocab[piece];
      if (id === undefined) throw new Error(`gpt2ReferenceEncoder: no id for ${JSON.stringify(piece)}`);
      return id;
    });
    cache.set(token, ids);
    return ids;
  };

  const specials = json.added_tokens;
  const encodePlain = (text: string): number[] =>
    [...text.matchAll(PATTERN)].flatMap(([piece]) => bpe([...Buffer.from(piece, 'utf8')].map((b) => byteChar[b]).join('')));

  return (text) => {
    const out: number[] = [];
    let rest = text;
    for (;;) {
      let at = -1;
      let special: { id: number; content: string } | undefined;
      for (const s of specials) {
        const i = rest.indexOf(s.content);
        if (i >= 0 && (at < 0 || i < at)) [at, special] = [i, s];
      }
      if (!special) return [...out, ...encodePlain(rest)];
      out.push(...encodePlain(rest.slice(0, at)), special.id);
      rest = rest.slice(at + special.content.length);
    }
  };
}
