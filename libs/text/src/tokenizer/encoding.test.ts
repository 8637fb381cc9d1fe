import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import { finishEncoding, loadTokenizer, padEncodings, tokenizerFromConfig, tokenizers } from '@omnitrain/text';

const ids = (n: number): number[] => Array.from({ length: n }, () => 5 + Math.floor(Math.random() * 1000));

describe('finishEncoding', () => {
  it('cuts content from the chosen end and keeps the special ids around it', () => {
    for (let trial = 0; trial < 200; trial++) {
      const prefix = ids(Math.floor(Math.random() * 3));
      const suffix = ids(Math.floor(Math.random() * 3));
      const content = ids(Math.floor(Math.random() * 10));
      const maxLength = prefix.length + suffix.length + Math.floor(Math.random() * 12);
      const room = maxLength - prefix.length - suffix.length;
      const keep = Math.min(room, content.length);
      const end = finishEncoding({ prefix, content, suffix }, { maxLength });
      const start = finishEncoding({ prefix, content, suffix }, { maxLength, truncate: 'start' });
      expect([...end.ids]).toEqual([...prefix, ...content.slice(0, keep), ...suffix]);
      expect([...start.ids]).toEqual([...prefix, ...content.slice(content.length - keep), ...suffix]);
      expect(end.truncated).toBe(content.length - keep);
      expect([...end.attentionMask]).toEqual(Array(end.ids.length).fill(1));
    }
  });

  it('rejects impossible limits and, when asked, too long texts', () => {
    const parts = { prefix: [1], content: [7, 8], suffix: [2] };
    expect(() => finishEncoding(parts, { maxLength: 1 })).toThrow(ConfigError);
    expect(() => finishEncoding(parts, { maxLength: 2.5 })).toThrow(ConfigError);
    expect(() => finishEncoding(parts, { truncate: 'middle' as 'end' })).toThrow(ConfigError);
    expect(() => finishEncoding(parts, { maxLength: 3, truncate: 'error' })).toThrow(DataError);
    expect([...finishEncoding(parts, { maxLength: 4, truncate: 'error' }).ids]).toEqual([1, 7, 8, 2]);
  });
});

describe('padEncodings', () => {
  const enc = (...xs: number[]) => finishEncoding({ prefix: [], content: xs, suffix: [] });
  it('needs a pad id only when a row is shorter than the block', () => {
    expect(() => padEncodings([enc(1, 2), enc(3)])).toThrow(/pad id/);
    expect([...padEncodings([enc(1, 2), enc(3, 4)]).ids]).toEqual([1, 2, 3, 4]);
    expect([...padEncodings([enc(1, 2), enc(3)], { padId: 9 }).ids]).toEqual([1, 2, 3, 9]);
    expect(() => padEncodings([enc(1)], { padding: 'widest' as 'longest' })).toThrow(ConfigError);
  });
});

describe('tokenizer registry and files', () => {
  it('lists the shipped kinds and refuses configs without one', async () => {
    expect(tokenizers.list()).toEqual(['transformers', 'vocab']);
    await expect(tokenizerFromConfig({} as { kind: string })).rejects.toThrow(/kinds: transformers, vocab/);
  });

  it('names the file of an unreadable or malformed saved tokenizer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omnitrain-text-file-'));
    try {
      await writeFile(join(dir, 'bad.json'), '{"kind": "vocab",');
      await expect(loadTokenizer(join(dir, 'bad.json'))).rejects.toThrow(/invalid JSON .*bad\.json/);
      await expect(loadTokenizer(join(dir, 'none.json'))).rejects.toThrow(DataError);
      await writeFile(join(dir, 'wrong.json'), '{"kind": "vocab", "tokens": []}');
      await expect(loadTokenizer(join(dir, 'wrong.json'))).rejects.toThrow(ConfigError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
