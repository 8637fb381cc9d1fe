import { readFile } from 'node:fs/promises';
import { DataError } from '@omnitrain/core';
import type { Tokenizer } from './tokenizer.js';
import { tokenizerFromConfig } from './tokenizer-from-config.js';

/**
 * Reads a tokenizer saved by {@link saveTokenizer}.
 *
 * @param file The JSON file.
 * @throws DataError naming the file when it is unreadable or not JSON; ConfigError when its config is malformed.
 * @example const tok = await loadTokenizer('runs/a/tokenizer.json');
 */
export async function loadTokenizer(file: string): Promise<Tokenizer> {
  const fail = (received: string, cause: unknown): never => {
    throw new DataError({ op: 'text.loadTokenizer', expected: 'a tokenizer JSON file', received, where: `file ${file}`, cause });
  };
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => fail(e.code ?? e.message, e));
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (e) {
    fail(`invalid JSON (${(e as Error).message})`, e);
  }
  return tokenizerFromConfig(config as Parameters<typeof tokenizerFromConfig>[0]);
}
