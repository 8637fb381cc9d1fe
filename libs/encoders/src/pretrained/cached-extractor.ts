import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSafetensors, writeSafetensors } from '@omnitrain/core';
import type { FeatureExtractor } from './feature-extractor.js';

/** Options of {@link cachedExtractor}. */
export interface CachedExtractorOptions {
  /** The cache folder; the file is `<dir>/<hash of the extractor's cacheKey>.safetensors`. */
  dir: string;
  /** Told when a cache file is unreadable and is rebuilt. Default: a line on stderr. */
  onWarning?: (message: string) => void;
}

/** How a {@link cachedExtractor} served its last call. */
export interface CacheStats {
  /** Items answered from the cache. */
  hits: number;
  /** Items the extractor computed. */
  misses: number;
}

/**
 * Wraps a frozen extractor so each input is computed once: features are stored in one safetensors
 * file per extractor (keyed by its `cacheKey`), rows keyed by the SHA-256 of the input's content
 * (the text itself, or the file's bytes), so a renamed file is still a hit and an edited one is a
 * miss. New rows are appended with an atomic rewrite; a corrupt or mismatched file is reported and
 * rebuilt, never used.
 *
 * @param extractor The extractor to wrap (not disposed by the cache; `dispose` passes through).
 * @param options Cache folder, warning sink.
 * @returns The same extractor, cached, plus `stats()` of its last call.
 *
 * @example
 * const use = cachedExtractor(await useLiteExtractor(), { dir: '.omnitrain/features' });
 * await use.extract(texts); // computes
 * await use.extract(texts); // reads the cache: use.stats().misses === 0
 */
export function cachedExtractor(extractor: FeatureExtractor, options: CachedExtractorOptions): FeatureExtractor & { stats(): CacheStats } {
  const file = join(options.dir, `${createHash('sha256').update(extractor.cacheKey).digest('hex').slice(0, 32)}.safetensors`);
  const warn = options.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  let stats: CacheStats = { hits: 0, misses: 0 };
  let chain: Promise<unknown> = Promise.resolve();
  const keyOf = async (item: string): Promise<string> =>
    createHash('sha256').update(extractor.modality === 'text' ? `text\0${item}` : await readFile(item)).digest('hex');

  const load = async (): Promise<Map<string, Float32Array>> => {
    const rows = new Map<string, Float32Array>();
    if (!existsSync(file)) return rows;
    try {
      const { tensors, metadata } = await readSafetensors(file);
      const keys = JSON.parse(metadata['keys'] ?? '[]') as string[];
      const features = tensors['features'];
      if (metadata['cacheKey'] !== extractor.cacheKey || !features || features.dtype !== 'F32' || features.shape[0] !== keys.length) {
        throw new Error(`holds ${metadata['cacheKey'] ?? 'no cache key'} with ${keys.length} keys`);
      }
      const dim = features.shape[1]!;
      keys.forEach((k, i) => rows.set(k, (features.data as Float32Array).slice(i * dim, (i + 1) * dim)));
    } catch (error) {
      warn(`feature cache ${file} is unreadable (${(error as Error).message.split('\n')[0]}); computing the features again`);
      rows.clear();
    }
    return rows;
  };

  const extract = async (items: readonly string[]): Promise<Float32Array[]> => {
    const keys = await Promise.all(items.map(keyOf));
    const rows = await load();
    const missing = [...new Set(keys.filter((k) => !rows.has(k)))];
    const firstItem = new Map<string, string>();
    keys.forEach((k, i) => firstItem.has(k) || firstItem.set(k, items[i]!));
    if (missing.length) {
      const computed = await extractor.extract(missing.map((k) => firstItem.get(k)!));
      missing.forEach((k, i) => rows.set(k, computed[i]!));
      const all = [...rows];
      const dim = all[0]![1].length;
      const data = new Float32Array(all.length * dim);
      all.forEach(([, v], i) => data.set(v, i * dim));
      await mkdir(options.dir, { recursive: true });
      await writeSafetensors(file, { features: { dtype: 'F32', shape: [all.length, dim], data } }, { cacheKey: extractor.cacheKey, keys: JSON.stringify(all.map(([k]) => k)) });
    }
    const computed = new Set(missing);
    const misses = keys.filter((k) => computed.has(k)).length;
    stats = { hits: keys.length - misses, misses };
    return keys.map((k) => rows.get(k)!);
  };

  return {
    get id() {
      return extractor.id;
    },
    get modality() {
      return extractor.modality;
    },
    get outputDim() {
      return extractor.outputDim;
    },
    get cacheKey() {
      return extractor.cacheKey;
    },
    // Calls run one after another: each reads the file the previous one wrote.
    extract(items) {
      const run = chain.then(() => extract(items));
      chain = run.catch(() => undefined);
      return run;
    },
    dispose: () => extractor.dispose(),
    stats: () => ({ ...stats }),
  };
}
