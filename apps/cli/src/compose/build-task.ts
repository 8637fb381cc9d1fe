import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigError } from '@omnitrain/core';
import { loadDataset } from '@omnitrain/data';
import type { LoadedDataset, Sample } from '@omnitrain/data';
import type { BatchSource, EvalSource } from '@omnitrain/engine';
import '@omnitrain/image';
import '@omnitrain/audio';
import '@omnitrain/text';
import { FeatureDiskCache, FeaturizerPool, fillInputShapes, MultimodalFeaturizer, MultimodalModel, multimodalBatchSource, multimodalEvalSource } from '@omnitrain/multimodal';
import type { RunConfig } from '../config/run-config.js';
import { cleaningReportJsonl } from '../run/cleaning-report-jsonl.js';

/** What one worker trains: the model and its data sources. */
export interface Task {
  model: MultimodalModel;
  featurizer: MultimodalFeaturizer;
  classes: string[];
  splits: LoadedDataset['splits'];
  /** This rank's shard of every global training batch. */
  train: BatchSource;
  /** This rank's shard of the validation split (undefined without one). */
  validation: EvalSource | undefined;
  /** The whole test split, for the chief's final evaluation (undefined without one). */
  test: EvalSource | undefined;
  /** The threads featurizing the training samples (undefined with data.featurizeThreads 0). Idle threads do not keep the process alive. */
  featurizerPool: FeaturizerPool | undefined;
  /** The cleaning summary (undefined when cleaning is off). */
  cleaning: LoadedDataset['report'];
}

/** Where a worker stands in the job. */
export interface TaskPlace {
  rank: number;
  worldSize: number;
  /** Write the cleaning report here (the chief does). Default: not written. */
  cleaningReport?: string;
  /** Told how the pretrained features were obtained (one line). Default: a line on stderr. */
  onInfo?: (line: string) => void;
}

/**
 * Where a run caches pretrained features when an extractor sets no `cacheDir` of its own:
 * `<telemetry.runsDir>/.features`, shared by every run under that root (the dashboard skips
 * dot-folders), so a second run (or `eval` / `predict` of a trained one) recomputes nothing.
 *
 * @example featureCacheDir(config) // 'runs/.features'
 */
export function featureCacheDir(config: RunConfig): string {
  return join(config.telemetry.runsDir, '.features');
}

/**
 * The featurize threads of a run: `data.featurizeThreads`, with "auto" = 1 when this host has more
 * cores than the run's worker processes on it (`LOCAL_WORLD_SIZE`, i.e. `distributed.nproc`, when
 * launched; 1 for a plain `train`), else 0.
 *
 * @example featurizeThreads(config) // 1 on a 2-core host with one worker
 */
export function featurizeThreads(config: RunConfig): number {
  const setting = config.data.featurizeThreads;
  if (setting !== 'auto') return setting;
  // A plain `train` is one process on this host whatever distributed.nproc says; `launch` sets LOCAL_WORLD_SIZE (= nproc).
  const local = Number(process.env['LOCAL_WORLD_SIZE']) || 1;
  return availableParallelism() > local ? 1 : 0;
}

/**
 * Builds the training task of a run: reads the dataset, cleans it with every registered validator
 * (data, image, audio, text), splits it, fits the featurizers on the training split (loading the
 * pretrained extractors of `features.<modality>.pretrained` and computing their features for
 * every split at once, through the feature cache of {@link featureCacheDir}), and builds the
 * MultimodalModel (input sizes from the featurizer) and this rank's batch sources.
 *
 * @param config The validated run config.
 * @param place Rank, world size, where to put the cleaning report.
 * @throws DataError for unreadable data, ConfigError for a split that is missing or empty.
 *
 * @example
 * const task = await buildTask(run.config, { rank: 0, worldSize: 1, cleaningReport: folder.cleaningReport });
 */
export async function buildTask(config: RunConfig, place: TaskPlace): Promise<Task> {
  const data = await loadDataset(config.data);
  if (place.cleaningReport && data.report) await writeFile(place.cleaningReport, cleaningReportJsonl(data.report));
  const train = data.splits['train'] ?? [];
  if (train.length === 0) {
    throw new ConfigError({
      op: 'cli.buildTask',
      expected: 'a non-empty train split',
      received: `splits ${Object.entries(data.splits).map(([k, v]) => `${k} ${v.length}`).join(', ') || 'none'}`,
      where: `field data (${config.data.manifest ?? config.data.folder?.root})`,
      hint: 'check data.split.ratios, or the manifest\'s split column',
    });
  }
  if (config.model.numClasses !== data.classes.length) {
    throw new ConfigError({
      op: 'cli.buildTask',
      expected: `model.numClasses to equal the ${data.classes.length} classes of the data (${data.classes.join(', ')})`,
      received: String(config.model.numClasses),
      where: 'field model.numClasses',
      hint: 'set model.numClasses, or list data.classes',
    });
  }
  // Started first, so the threads build their featurizers while this one builds its own and the model.
  const threads = featurizeThreads(config);
  const pretrained = config.model.modalities.some((m) => config.features[m].pretrained !== undefined);
  const featurizerPool =
    threads > 0 && !pretrained
      ? FeaturizerPool.start({
          featurizer: { config: config.features, modalities: config.model.modalities, classes: data.classes, trainSamples: train },
          threads,
        })
      : undefined;
  // A pool that cannot start leaves the training thread featurizing (the batch source falls back): say so.
  featurizerPool?.ready().catch((e: unknown) =>
    (place.onInfo ?? ((l: string) => process.stderr.write(`${l}\n`)))(
      `featurize threads did not start, featurizing on the training thread: ${e instanceof Error ? e.message : String(e)}`,
    ),
  );
  const featurizer = await MultimodalFeaturizer.create({
    config: config.features,
    modalities: config.model.modalities,
    classes: data.classes,
    trainSamples: train,
    cacheDir: featureCacheDir(config),
  }).catch(async (e: unknown) => {
    await featurizerPool?.close();
    throw e;
  });
  if (featurizer.pretrained) {
    const started = performance.now();
    const all = Object.values(data.splits).flat();
    await featurizer.prepare(all);
    const stats = Object.entries(featurizer.extractorStats()).map(
      ([m, s]) => `${m} ${s.hits + s.misses} inputs (${s.misses} computed, ${s.hits} from the cache)`,
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    (place.onInfo ?? ((l: string) => process.stderr.write(`${l}\n`)))(`pretrained features: ${stats.join('; ')} in ${seconds} s, cache ${featureCacheDir(config)}`);
  }
  const batchSize = config.train.batchSize;
  const { rank, worldSize } = place;
  // Plain image and audio features on disk, shared by runs and ranks (`data.featureCache: false` or
  // OMNITRAIN_FEATURE_CACHE=0 turns it off).
  const cache =
    !config.data.featureCache || process.env['OMNITRAIN_FEATURE_CACHE'] === '0'
      ? undefined
      : FeatureDiskCache.open({ dir: featureCacheDir(config), config: config.features, featurizer, onWarning: (m) => process.stderr.write(`warning: ${m}\n`) });
  // Built before the model and started at once: the first batches decode while the model and the
  // trainer are built, the checkpoint is read and the ranks meet.
  const trainSource = multimodalBatchSource({
    samples: train,
    featurizer,
    batchSize,
    seed: config.data.seed,
    rank,
    worldSize,
    shuffle: config.data.shuffle,
    dropLast: config.data.dropLast,
    prefetch: config.data.prefetch,
    pool: featurizerPool,
    cache,
    startEarly: true,
  });
  const model = new MultimodalModel(fillInputShapes(config.model, featurizer));
  const evalSource = (samples: readonly Sample[] | undefined, r: number, w: number) =>
    samples && samples.length ? multimodalEvalSource({ samples, featurizer, batchSize, rank: r, worldSize: w, cache }) : undefined;
  return {
    model,
    featurizer,
    featurizerPool,
    classes: data.classes,
    splits: data.splits,
    train: trainSource,
    validation: evalSource(data.splits['val'], rank, worldSize),
    test: evalSource(data.splits['test'], 0, 1),
    cleaning: data.report,
  };
}
