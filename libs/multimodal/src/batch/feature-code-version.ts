import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@omnitrain/core';

/** The packages whose code turns files into features (decoders, log-mel, tokenizers, featurizers). */
const FEATURE_PACKAGES = ['image', 'audio', 'text'] as const;

let memo: string | undefined;

function notFound(what: string): ConfigError {
  return new ConfigError({
    op: 'multimodal.featureCodeVersion',
    expected: what,
    received: 'none (a bundled or unusual install)',
    hint: 'the feature cache keys entries by the featurizing code; without it, turn the cache off (data.featureCache: false in the run file)',
  });
}

/** The nearest folder at or above `from` holding a package.json. */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw notFound(`a package.json above ${from}`);
    dir = up;
  }
  return dir;
}

/** `node_modules/@omnitrain/<name>` in the nearest folder at or above `from` that has it, links resolved. */
function findPackage(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@omnitrain', name);
    if (existsSync(candidate)) return realpathSync(candidate);
    if (dirname(dir) === dir) throw notFound(`node_modules/@omnitrain/${name} at or above ${from}`);
  }
}

/** Every code file under `dir` (tests, fixtures, maps and declarations left out), sorted. */
function codeFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test-fixtures' && entry.name !== 'node_modules') out.push(...codeFiles(path));
    } else if (/\.(m?js|ts|wasm)$/.test(entry.name) && !/\.test\.|\.d\.ts$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out.sort();
}

/**
 * A hash of the code that computes features: every source file of `@omnitrain/multimodal`,
 * `image`, `audio` and `text` as they run in this process (their `src/` when this module runs
 * from TypeScript sources, else their `dist/`) plus their package.json files. Part of every
 * {@link FeatureDiskCache} key, so features cached by other code are never read: changing a
 * decoder, the log-mel kernel or a tokenizer starts a fresh cache. Computed once per process
 * (about 150 files, a few milliseconds).
 *
 * @throws ConfigError when the packages' files cannot be found (a bundled install).
 * @returns 16 hex digits.
 * @example featureCodeVersion() // '3f9a0c1d2b4e5f60'
 */
export function featureCodeVersion(): string {
  if (memo) return memo;
  const here = dirname(fileURLToPath(import.meta.url));
  const self = packageRoot(here);
  // `src` or `dist`: the kind of folder this module runs from (the first one below the package root).
  const kind = relative(self, here).split(/[\\/]/)[0] ?? 'dist';
  const roots = [self, ...FEATURE_PACKAGES.map((name) => findPackage(self, name))];
  const hash = createHash('sha256');
  for (const root of roots) {
    hash.update(`package ${basename(root)}\0`).update(readFileSync(join(root, 'package.json')));
    for (const file of codeFiles(join(root, kind))) hash.update(`\0${relative(root, file)}\0`).update(readFileSync(file));
  }
  memo = hash.digest('hex').slice(0, 16);
  return memo;
}
