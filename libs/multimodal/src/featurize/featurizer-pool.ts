import { Worker } from 'node:worker_threads';
import { BackendError, ConfigError, DataError } from '@omnitrain/core';
import type { ErrorDetails } from '@omnitrain/core';
import type { Sample } from '@omnitrain/data';
import type { MultimodalFeaturizerOptions, SampleFeatures } from './multimodal-featurizer.js';

/** Options of {@link FeaturizerPool.create}. */
export interface FeaturizerPoolOptions {
  /**
   * What each thread builds its MultimodalFeaturizer from: the same options as the main thread's
   * (cloned into every thread). No `pretrained` modality (the extractors stay on the main thread),
   * no `onWarning` (a function cannot cross threads).
   */
  featurizer: Omit<MultimodalFeaturizerOptions, 'onWarning'>;
  /** Number of threads, >= 1. */
  threads: number;
  /**
   * Node options of the threads. Default: this process's `execArgv`. Running from the TypeScript
   * sources (tests), give the TypeScript hook: `tsChildArgs()` of @omnitrain/testing.
   */
  execArgv?: readonly string[];
  /** Deadline (ms) for the threads to build their featurizers. Default 60000. */
  startTimeoutMs?: number;
  /** @internal The thread's entry module. Default: featurize-worker next to this file (tests give one that crashes). */
  entry?: URL;
}

/** @internal What a thread receives as `workerData`. */
export interface PoolWorkerData {
  options: Omit<MultimodalFeaturizerOptions, 'onWarning'>;
}

/** @internal One request to a thread. */
export interface FeaturizeRequest {
  id: number;
  sample: Sample;
  epoch: number;
  training: boolean;
}

/** @internal An error as it crosses threads. */
export interface WireError {
  name: string;
  message: string;
  details?: ErrorDetails;
}

/** @internal One answer of a thread (`id` -1: the thread is ready, or failed to start). */
export interface FeaturizeReply {
  id: number;
  features?: SampleFeatures;
  error?: WireError;
}

/** Rebuilds a thread's error on this thread: same class (DataError, ConfigError, ...), same text. */
function fromWire(e: WireError): Error {
  if (e.details) {
    if (e.name === 'DataError') return new DataError(e.details, e.message);
    if (e.name === 'ConfigError') return new ConfigError(e.details, [], e.message);
    if (e.name === 'BackendError') return new BackendError(e.details, e.message);
  }
  return new Error(e.message);
}

function hashId(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

interface Pending {
  sample: Sample;
  resolve: (f: SampleFeatures) => void;
  reject: (e: Error) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  dead?: Error;
}

/** A sample and its files, as named in errors. */
function describeSample(s: Sample): string {
  const files = [s.image, s.audio].filter((f) => f !== undefined);
  return `sample ${s.id}${files.length ? ` (file ${files.join(', file ')})` : ''}`;
}

/**
 * Featurizes samples on worker threads, so decoding and augmentation overlap the training
 * thread's compute. Every thread builds the same {@link MultimodalFeaturizer} (same config,
 * vocab fitted on the same training texts) and augmentation draws come from a stream seeded by
 * (features seed, epoch, sample id), so a thread returns exactly, bit for bit, what the main
 * thread's featurizer would. A sample always goes to the same thread (`route`, else a hash of its
 * id), whose decode cache then keeps hitting. Errors keep their class and text (a DataError names
 * the file). Idle threads do not keep the process alive; {@link close} terminates them.
 * Pretrained modalities are refused: their extractors stay on the main thread.
 *
 * @example
 * const pool = await FeaturizerPool.create({ featurizer: { config, classes, trainSamples }, threads: 1 });
 * const x = await pool.featurize(sample, { epoch: 2, training: true }); // same as featurizer.featurize
 * await pool.close();
 */
export class FeaturizerPool {
  readonly #threads: Thread[] = [];
  readonly #count: number;
  readonly #ready: Promise<void>;
  #nextId = 0;
  #closed = false;
  #isReady = false;

  private constructor(options: FeaturizerPoolOptions) {
    this.#count = options.threads;
    const source = import.meta.url.endsWith('.ts');
    const entry = options.entry ?? new URL(source ? './featurize-worker.ts' : './featurize-worker.js', import.meta.url);
    const workerData: PoolWorkerData = { options: options.featurizer };
    const execArgv = [...(options.execArgv ?? process.execArgv)];
    this.#ready = (async () => {
      // One after another: threads starting together would race on the TypeScript hook's cache files.
      for (let i = 0; i < options.threads && !this.#closed; i++) {
        const t: Thread = { worker: new Worker(entry, { workerData, execArgv }), pending: new Map() };
        this.#threads.push(t);
        await this.#start(t, i, options.startTimeoutMs ?? 60_000);
      }
    })();
    this.#ready.then(
      () => (this.#isReady = true),
      () => undefined, // reported by ready(), create() and every featurize()
    );
  }

  /** Whether every thread built its featurizer (a caller may featurize elsewhere until then). */
  get isReady(): boolean {
    return this.#isReady;
  }

  /** Number of threads. */
  get threads(): number {
    return this.#count;
  }

  /**
   * Starts the threads and returns at once, so they build their featurizers (and warm up) while
   * this thread does other work; requests made before they are ready wait for them.
   *
   * @param options The featurizer options, the number of threads, their node options.
   * @throws ConfigError on a bad thread count or a pretrained modality.
   * @example const pool = FeaturizerPool.start({ featurizer: { config, classes, trainSamples }, threads: 1 });
   */
  static start(options: FeaturizerPoolOptions): FeaturizerPool {
    const { threads: n, featurizer } = options;
    if (!Number.isInteger(n) || n < 1) {
      throw new ConfigError({ op: 'multimodal.FeaturizerPool', expected: 'an integer threads >= 1', received: String(n), where: 'field data.featurizeThreads' });
    }
    const modalities = featurizer.modalities ?? ['image', 'audio', 'text'];
    const frozen = (['image', 'text'] as const).filter((m) => modalities.includes(m) && featurizer.config[m].pretrained !== undefined);
    if (frozen.length > 0) {
      throw new ConfigError({
        op: 'multimodal.FeaturizerPool',
        expected: 'no pretrained modality (their extractors run on the main thread)',
        received: `pretrained ${frozen.join(', ')}`,
        where: `field features.${frozen[0]}.pretrained`,
        hint: 'set data.featurizeThreads: 0 with pretrained features',
      });
    }
    return new FeaturizerPool(options);
  }

  /**
   * Starts the threads and waits (with a deadline) until each built its featurizer.
   *
   * @param options The featurizer options, the number of threads, their node options.
   * @throws ConfigError on a bad thread count or a pretrained modality; the featurizer's own
   *   ConfigError (e.g. no classes) as the main thread would throw it; BackendError when a thread
   *   does not start in time.
   * @example const pool = await FeaturizerPool.create({ featurizer: { config, classes, trainSamples }, threads: 2 });
   */
  static async create(options: FeaturizerPoolOptions): Promise<FeaturizerPool> {
    const pool = FeaturizerPool.start(options);
    try {
      await pool.ready();
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  /**
   * Resolves when every thread built its featurizer.
   *
   * @throws What a thread threw while building it, or BackendError past the start deadline.
   * @example await pool.ready();
   */
  ready(): Promise<void> {
    return this.#ready;
  }

  #start(t: Thread, index: number, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new BackendError({
            op: 'multimodal.FeaturizerPool',
            expected: `featurize thread ${index} ready within ${timeoutMs} ms`,
            received: 'no answer',
            hint: 'a loaded machine: raise startTimeoutMs, or set data.featurizeThreads: 0',
          }),
        );
      }, timeoutMs);
      const fail = (e: Error, inFlight?: (p: Pending) => Error) => {
        t.dead ??= e;
        for (const p of t.pending.values()) p.reject(inFlight?.(p) ?? t.dead);
        t.pending.clear();
        clearTimeout(timer);
        reject(t.dead);
      };
      t.worker.on('message', (reply: FeaturizeReply) => {
        if (reply.id === -1) {
          clearTimeout(timer);
          if (reply.error) fail(fromWire(reply.error));
          else {
            t.worker.unref();
            resolve();
          }
          return;
        }
        const p = t.pending.get(reply.id);
        if (!p) return;
        t.pending.delete(reply.id);
        if (t.pending.size === 0) t.worker.unref();
        if (reply.error) p.reject(fromWire(reply.error));
        else p.resolve(reply.features!);
      });
      // A thread that dies fails what it was featurizing, naming the files (one of them may be why),
      // and every later request at once: nothing waits for an answer that cannot come.
      const death = (why: string, where?: string) =>
        new BackendError({
          op: 'multimodal.FeaturizerPool',
          expected: `featurize thread ${index} running`,
          received: why,
          where,
          hint: this.#closed ? 'featurize before close()' : 'the thread died while featurizing: check that file, or set data.featurizeThreads: 0 to featurize on the training thread',
        });
      const died = (why: string) => fail(death(why), (p) => death(why, describeSample(p.sample)));
      t.worker.on('error', (e) => died(`an error: ${e.message}`));
      t.worker.on('exit', (code) => died(this.#closed ? 'the pool closed' : `exit code ${code}`));
    });
  }

  /**
   * The features of one sample, computed on a thread: equal to `featurizer.featurize(sample, options)`.
   *
   * @param sample The sample.
   * @param options `training` turns augmentation on for `epoch`; `route` picks the thread
   *   (`route % threads`; default: a hash of the sample id).
   * @throws The thread's DataError naming the file or sample; BackendError when the thread died or the pool is closed.
   */
  async featurize(sample: Sample, options: { epoch?: number; training?: boolean; route?: number } = {}): Promise<SampleFeatures> {
    if (!this.#closed) await this.#ready;
    const t = this.#threads[(options.route ?? hashId(sample.id)) % this.#count];
    if (!t || t.dead || this.#closed) {
      throw t?.dead ?? new BackendError({ op: 'multimodal.FeaturizerPool', expected: 'an open pool', received: 'closed', hint: 'featurize before close()' });
    }
    const id = this.#nextId++;
    return new Promise<SampleFeatures>((resolve, reject) => {
      if (t.pending.size === 0) t.worker.ref();
      t.pending.set(id, { sample, resolve, reject });
      const req: FeaturizeRequest = { id, sample, epoch: options.epoch ?? 0, training: options.training ?? false };
      t.worker.postMessage(req);
    });
  }

  /** Terminates the threads; pending requests reject with a BackendError. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#threads.map((t) => t.worker.terminate()));
  }
}
