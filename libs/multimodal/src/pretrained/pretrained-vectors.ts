import { normalizeText } from '@omnitrain/data';
import type { Modality, Sample } from '@omnitrain/data';
import type { CacheStats } from '@omnitrain/encoders';
import type { PretrainedFeaturizer } from './pretrained-featurizer.js';

type Frozen = 'image' | 'audio' | 'text';
interface Pending {
  item: string;
  resolve: (v: Float32Array) => void;
  reject: (e: unknown) => void;
}

/** The input of `modality` a sample carries for an extractor: a file path (image, audio) or a non-blank text. */
function itemOf(sample: Sample, modality: Frozen): string | undefined {
  const item = sample[modality];
  return item === undefined || (modality === 'text' && normalizeText(item) === '') ? undefined : item;
}

/**
 * Per-sample access to a {@link PretrainedFeaturizer}'s vectors for the batch pipeline: the
 * inputs asked for in one tick (a batch featurized with `Promise.all`) go to the extractor in one
 * call, one call at a time per modality; each distinct input (text string, image or audio path) is computed
 * once per process (kept in memory) and, when the extractor is cached, once per cache folder.
 * Counts what the extractors computed and what their disk cache served.
 *
 * @example
 * const vectors = new PretrainedVectors(await PretrainedFeaturizer.create({ config: { text: { type: 'use-lite' } }, cacheDir }));
 * await vectors.prepare(allSamples);          // one extractor call per modality
 * const { text } = await vectors.vectors(s);  // Float32Array(512), from memory
 */
export class PretrainedVectors {
  /** The modalities read by an extractor, in the fixed order image, audio, text. */
  readonly modalities: readonly Modality[];
  readonly #featurizer: PretrainedFeaturizer;
  readonly #memo = new Map<Frozen, Map<string, Promise<Float32Array>>>();
  readonly #queue = new Map<Frozen, Pending[]>();
  readonly #chain = new Map<Frozen, Promise<unknown>>();
  readonly #stats = new Map<Frozen, CacheStats>();

  /** @param featurizer The loaded extractors (owned from now on: {@link dispose} frees them). */
  constructor(featurizer: PretrainedFeaturizer) {
    this.#featurizer = featurizer;
    this.modalities = featurizer.modalities;
    for (const m of this.modalities as Frozen[]) {
      this.#memo.set(m, new Map());
      this.#queue.set(m, []);
      this.#chain.set(m, Promise.resolve());
      this.#stats.set(m, { hits: 0, misses: 0 });
    }
  }

  /** `[outputDim]` of each modality's extractor. */
  inputShapes(): Partial<Record<Modality, readonly number[]>> {
    return this.#featurizer.inputShapes();
  }

  /**
   * The vectors of one sample; a modality it lacks (or blank text) is absent.
   *
   * @throws The extractor's DataError naming a file it cannot read (for every sample of that call).
   */
  async vectors(sample: Sample): Promise<{ image?: Float32Array; audio?: Float32Array; text?: Float32Array }> {
    const out: { image?: Float32Array; audio?: Float32Array; text?: Float32Array } = {};
    await Promise.all(
      (this.modalities as Frozen[]).map(async (m) => {
        const item = itemOf(sample, m);
        if (item !== undefined) out[m] = await this.#vector(m, item);
      }),
    );
    return out;
  }

  /** Computes the vectors of all `samples` in one extractor call per modality. */
  async prepare(samples: readonly Sample[]): Promise<void> {
    await Promise.all(samples.map((s) => this.vectors(s)));
  }

  /** Per modality: inputs computed by the model (`misses`) and read from the disk cache (`hits`), in total. */
  stats(): Partial<Record<Modality, CacheStats>> {
    return Object.fromEntries([...this.#stats].map(([m, s]) => [m, { ...s }]));
  }

  /** Frees the extractors. */
  dispose(): void {
    this.#featurizer.dispose();
  }

  #vector(m: Frozen, item: string): Promise<Float32Array> {
    const memo = this.#memo.get(m)!;
    let got = memo.get(item);
    if (got === undefined) {
      got = new Promise<Float32Array>((resolve, reject) => {
        const queue = this.#queue.get(m)!;
        queue.push({ item, resolve, reject });
        if (queue.length === 1) setImmediate(() => this.#flush(m));
      });
      // A failed input is asked again next time rather than failing forever.
      got.catch(() => memo.delete(item));
      memo.set(item, got);
    }
    return got;
  }

  #flush(m: Frozen): void {
    const batch = this.#queue.get(m)!.splice(0);
    const extractor = this.#featurizer.extractor(m)!;
    const run = this.#chain.get(m)!.then(async () => {
      const vectors = await extractor.extract(batch.map((p) => p.item));
      const stats = this.#stats.get(m)!;
      const last = this.#featurizer.cacheStats()[m] ?? { hits: 0, misses: batch.length };
      this.#stats.set(m, { hits: stats.hits + last.hits, misses: stats.misses + last.misses });
      batch.forEach((p, i) => p.resolve(vectors[i]!));
    });
    this.#chain.set(m, run.catch((error: unknown) => batch.forEach((p) => p.reject(error))));
  }
}
