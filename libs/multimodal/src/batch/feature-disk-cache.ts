import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sample } from '@omnitrain/data';
import type { FeaturesConfig } from '../featurize/features-config.js';
import type { MultimodalFeaturizer, SampleFeatures } from '../featurize/multimodal-featurizer.js';
import { featureCodeVersion } from './feature-code-version.js';

/** The modalities whose plain features are worth a file: decoding dominates (text tokenizes in microseconds). */
type FileModality = 'image' | 'audio';
const FILE_MODALITIES: readonly FileModality[] = ['image', 'audio'];
/** Bytes of the SHA-256 prefix after each entry's values, checked on every read. */
const CHECK_BYTES = 8;

/** Options of {@link FeatureDiskCache.open}. */
export interface FeatureDiskCacheOptions {
  /** The cache folder (shared by runs and ranks; a run uses `<telemetry.runsDir>/.features`). */
  dir: string;
  /** The features config the featurizer was built from (its image and audio sections are part of the key). */
  config: FeaturesConfig;
  /** The featurizer whose plain (not augmented) image and audio features are cached. */
  featurizer: MultimodalFeaturizer;
  /** Told when an entry is unreadable (recomputed) or cannot be written. Default: a line on stderr. */
  onWarning?: (message: string) => void;
}

/** What the cache did so far, per modality. */
export interface FeatureDiskCacheStats {
  /** Features read from disk. */
  hits: number;
  /** Features computed (then written). */
  misses: number;
}

/** Keys sorted, so equal configs give equal keys whatever their field order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (bytes: Uint8Array | string): Buffer => createHash('sha256').update(bytes).digest();

/**
 * A content-addressed on-disk cache of plain image and audio features (decoded, resized or
 * resampled, log-mel, normalized: what a featurizer returns without augmentation), so a second
 * run over the same files (another demo model, a rerun, the other rank's samples) reads them
 * instead of decoding. An entry is `<dir>/<modality>-<config key>/<hh>/<content hash>.f32`:
 * the key hashes the modality's features config (augmentations left out: they never touch plain
 * features), the featurizer's output shape and {@link featureCodeVersion} (the code of the
 * featurizing packages), and the content hash is the SHA-256 of the file's bytes, read on every
 * lookup. So a changed file, config or featurizer code is a miss, never a stale hit; an entry
 * also carries a checksum of its values, and one that fails it (a torn write) is recomputed.
 * Entries are written to a temporary name and renamed, so ranks and runs share the folder safely.
 * Old keys are never read again; delete the folder to reclaim the space.
 *
 * Augmented modalities (training, with `augment` set) are computed as before. Features come out
 * bit for bit equal to the featurizer's.
 *
 * @example
 * const cache = FeatureDiskCache.open({ dir: 'runs/.features', config, featurizer });
 * const x = await cache.featurize(sample, { epoch: 0, training: true }, (s, o) => featurizer.featurize(s, o));
 */
export class FeatureDiskCache {
  readonly #dirs: Partial<Record<FileModality, string>> = {};
  readonly #bytes: Partial<Record<FileModality, number>> = {};
  readonly #augments: Partial<Record<FileModality, boolean>> = {};
  readonly #memory = { image: new Map<string, Promise<Float32Array | undefined>>(), audio: new Map<string, Promise<Float32Array | undefined>>() };
  /** Content hash of each file looked up and missed, so the computed features go to the right entry. */
  readonly #missed = new Map<string, Buffer>();
  readonly #made = new Set<string>();
  readonly #stats = { image: { hits: 0, misses: 0 }, audio: { hits: 0, misses: 0 } };
  readonly #warn: (message: string) => void;
  readonly #writing = new Set<Promise<void>>();
  #writeWarned = false;

  private constructor(options: FeatureDiskCacheOptions) {
    const { featurizer, config } = options;
    this.#warn = options.onWarning ?? ((m) => process.stderr.write(`warning: ${m}\n`));
    const shapes = featurizer.inputShapes();
    for (const m of FILE_MODALITIES) {
      const part = featurizer[m];
      if (!part) continue; // not used, or read by a pretrained extractor (which has its own cache)
      const { augment: _augment, ...plain } = config[m] as FeaturesConfig[FileModality] & { pretrained?: unknown };
      const shape = shapes[m]!;
      const key = sha256(stableJson({ modality: m, config: plain, shape, code: featureCodeVersion() })).toString('hex').slice(0, 16);
      this.#dirs[m] = join(options.dir, `${m}-${key}`);
      this.#bytes[m] = shape.reduce((p, d) => p * d, 1) * 4;
      this.#augments[m] = part.augments;
    }
  }

  /**
   * A cache over `featurizer`'s plain image and audio features in `dir` (created on the first write).
   *
   * @param options Folder, features config, featurizer, warning sink.
   * @example const cache = FeatureDiskCache.open({ dir: join(runsDir, '.features'), config: config.features, featurizer });
   */
  static open(options: FeatureDiskCacheOptions): FeatureDiskCache {
    return new FeatureDiskCache(options);
  }

  /** Hits and misses so far, per cached modality. */
  stats(): Partial<Record<FileModality, FeatureDiskCacheStats>> {
    const out: Partial<Record<FileModality, FeatureDiskCacheStats>> = {};
    for (const m of FILE_MODALITIES) if (this.#dirs[m]) out[m] = { ...this.#stats[m] };
    return out;
  }

  /**
   * The features of one sample: the cached modalities from disk (or memory), the rest from
   * `compute` (given the sample without the modalities found), whose fresh plain features are
   * then written. Equal to `compute(sample, options)`, bit for bit.
   *
   * @param sample The sample.
   * @param options `training` and `epoch` as for MultimodalFeaturizer.featurize.
   * @param compute The featurizer (or a FeaturizerPool) to compute what is not cached.
   * @throws What `compute` throws (a DataError naming an unreadable file).
   */
  async featurize(
    sample: Sample,
    options: { epoch?: number; training?: boolean },
    compute: (sample: Sample, options: { epoch?: number; training?: boolean }) => Promise<SampleFeatures>,
  ): Promise<SampleFeatures> {
    const cached = FILE_MODALITIES.filter((m) => this.#dirs[m] && sample[m] !== undefined && !(options.training && this.#augments[m]));
    if (cached.length === 0) return compute(sample, options);
    const found = await Promise.all(cached.map((m) => this.#lookup(m, sample[m]!)));
    const rest: Sample = { ...sample };
    cached.forEach((m, i) => {
      if (found[i]) delete rest[m];
    });
    const out = await compute(rest, options);
    cached.forEach((m, i) => {
      const values = found[i];
      if (values) out[m] = values;
      else if (out[m]) {
        this.#memory[m].set(sample[m]!, Promise.resolve(out[m]));
        this.#store(m, sample[m]!, out[m]);
      }
    });
    return out;
  }

  #lookup(m: FileModality, path: string): Promise<Float32Array | undefined> {
    let entry = this.#memory[m].get(path);
    if (!entry) {
      entry = this.#read(m, path);
      this.#memory[m].set(path, entry);
    }
    return entry;
  }

  #entry(m: FileModality, content: Buffer): string {
    const hex = content.toString('hex');
    return join(this.#dirs[m]!, hex.slice(0, 2), `${hex}.f32`);
  }

  // Synchronous reads (tens of microseconds for these small files): an asynchronous read would
  // complete only when the training thread yields to the event loop, which a run of synchronous
  // steps does only once the prefetched batches are used up, so batches would come in bursts.
  async #read(m: FileModality, path: string): Promise<Float32Array | undefined> {
    let content: Buffer;
    try {
      content = sha256(readFileSync(path));
    } catch {
      this.#memory[m].delete(path);
      return undefined; // the featurizer reads it again and throws the DataError naming the file
    }
    const file = this.#entry(m, content);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return this.#miss(m, path, content);
    }
    const size = this.#bytes[m]!;
    const values = bytes.subarray(0, size);
    if (bytes.length !== size + CHECK_BYTES || !sha256(values).subarray(0, CHECK_BYTES).equals(bytes.subarray(size))) {
      this.#warn(`multimodal.FeatureDiskCache: cache entry ${file} (of ${path}) is damaged; recomputing it`);
      return this.#miss(m, path, content);
    }
    this.#stats[m].hits++;
    // A copy that owns its buffer (the read buffer may come from a shared pool).
    return new Float32Array(values.buffer.slice(values.byteOffset, values.byteOffset + size));
  }

  #miss(m: FileModality, path: string, content: Buffer): undefined {
    this.#stats[m].misses++;
    this.#missed.set(`${m}\0${path}`, content);
    return undefined;
  }

  #store(m: FileModality, path: string, values: Float32Array): void {
    const content = this.#missed.get(`${m}\0${path}`);
    if (!content || values.byteLength !== this.#bytes[m]) return;
    this.#missed.delete(`${m}\0${path}`);
    const file = this.#entry(m, content);
    const payload = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    const bytes = Buffer.concat([payload, sha256(payload).subarray(0, CHECK_BYTES)]);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const dir = join(file, '..');
    const write = (async () => {
      if (!this.#made.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.#made.add(dir);
      }
      await writeFile(tmp, bytes);
      await rename(tmp, file);
    })().catch(async (e: unknown) => {
      await rm(tmp, { force: true }).catch(() => undefined);
      if (this.#writeWarned) return;
      this.#writeWarned = true;
      this.#warn(`multimodal.FeatureDiskCache: cannot write ${file}: ${e instanceof Error ? e.message : String(e)}; features are computed, not cached`);
    });
    this.#writing.add(write);
    void write.finally(() => this.#writing.delete(write));
  }

  /**
   * Resolves when every entry written so far is on disk (writes run in the background; a
   * process that exits before leaves at most a temporary file, which is never read).
   *
   * @example await cache.flush();
   */
  async flush(): Promise<void> {
    while (this.#writing.size > 0) await Promise.all(this.#writing);
  }
}
