import { performance } from 'node:perf_hooks';
import { writeFileAtomic } from '@omnitrain/core';
import {
  callbacksFromConfig,
  evaluateModel,
  progressCallback,
  resumeTrainer,
  singleProcessStrategy,
  telemetryCallback,
  Trainer,
} from '@omnitrain/engine';
import type { Callback, CallbackContext, EvalResult } from '@omnitrain/engine';
import { markWorkerPhase } from '@omnitrain/distributed';
import { createOptimizer } from '@omnitrain/optim';
import { onInterrupt } from '../cli/on-interrupt.js';
import { trainingProgress } from '../progress/training-progress.js';
import { buildTask } from './build-task.js';
import { composeBackend } from './compose-backend.js';
import { composeStrategy } from './compose-strategy.js';
import type { LoadedRun } from './load-run.js';
import { saveRunConfig } from './load-run.js';
import { openRecorder } from './open-recorder.js';
import { samplePredictionsCallback } from './sample-predictions-callback.js';
import type { TelemetryConfig } from '../config/telemetry-config.js';
import type { RunFolder } from '../run/run-folder.js';

/** Options of {@link trainRun}. */
export interface TrainRunOptions {
  /** Put before progress labels, e.g. `[image] `. Default: none. */
  label?: string;
  /** Draw progress. Default true. */
  progress?: boolean;
}

/** What one `train` did. */
export interface TrainSummary {
  runId: string;
  runDir: string;
  /** The backend, as `wasm on CPU (wasm, SIMD, 1 thread)`. */
  backend: string;
  rank: number;
  worldSize: number;
  /** The checkpoint resumed from, if any. */
  resumedFrom: string | undefined;
  status: 'completed' | 'stopped';
  steps: number;
  epochs: number;
  /** The last epoch's metrics (`loss`, `accuracy`, `val_loss`, `val_accuracy`, ...). */
  last: Record<string, number>;
  /** The final test-split evaluation (chief only; undefined without a test split). */
  test: EvalResult | undefined;
  /** Wall time, in seconds. */
  seconds: number;
}

/**
 * Trains one run in this process: the composition root of a worker. Backend (with the wasm
 * training kernels) -> dataset, cleaning (report in the run folder), split -> featurizers ->
 * batch sources (this rank's shard) -> MultimodalModel -> optimizer -> strategy (single, or
 * data-parallel over ZeroMQ when WORLD_SIZE > 1) -> callbacks (telemetry into JSONL + TensorBoard
 * [+ dashboard], checkpoints, early stopping, progress) -> resume from the run folder's latest
 * checkpoint when there is one -> Trainer.fit -> the chief evaluates the whole test split and
 * writes `<run>/summary.json`.
 *
 * @param run The loaded run (config and folder).
 * @param options Progress label and switch.
 * @returns The summary (metrics, test result, resume point).
 *
 * @example
 * const summary = await trainRun(await loadRun('examples/digits.yaml', ['train.epochs=1']));
 */
export async function trainRun(run: LoadedRun, options: TrainRunOptions = {}): Promise<TrainSummary> {
  const started = performance.now();
  // Phase marks time a restart for `omnitrain launch` (printed only when a launcher asks for them).
  markWorkerPhase('main');
  const { config, folder } = run;
  const backend = await composeBackend(config.runtime.backend);
  markWorkerPhase('backend');
  const { strategy, rank, worldSize } = await composeStrategy(config);
  markWorkerPhase('rendezvous');
  // The first group's chief; an elastic group may hand the chief's role to another rank later.
  const chief = rank === 0;
  if (chief) await saveRunConfig(run);
  const task = await buildTask(config, { rank, worldSize, cleaningReport: chief ? folder.cleaningReport : undefined });
  markWorkerPhase('task');
  const context: { -readonly [K in keyof CallbackContext]: CallbackContext[K] } = {
    runDir: folder.dir,
    recorder: undefined,
    runName: config.name,
    runConfig: config as unknown as Record<string, unknown>,
    hparams: hparamsOf(run),
    backend: { name: backend.name, tfjsBackend: backend.tfjsBackend, tfjsVersion: backend.tfjsVersion, device: backend.device, skipped: backend.skipped },
    classNames: task.classes,
    onProgress: chief && options.progress !== false ? trainingProgress({ prefix: options.label }) : undefined,
  };
  const telemetry = chiefTelemetry(folder, config.telemetry, context);
  // On Ctrl-C the events written so far still reach the log and TensorBoard files.
  const offInterrupt = onInterrupt(async () => telemetry.close());
  try {
    const sampleOptions = {
      runDir: folder.dir,
      samples: task.splits['val'] ?? [],
      featurizer: task.featurizer,
      classes: task.classes,
      count: config.telemetry.samples,
      batchSize: config.train.batchSize,
      // Read at each evaluation: the recorder of whichever rank is chief then.
      get recorder() {
        return context.recorder;
      },
    };
    const configured = callbacksFromConfig(config.train, context, config.optim);
    const has = (name: string) => configured.some((c) => c.name === name);
    const callbacks: Callback[] = [
      // First, so the recorder is open before the telemetry callback's onTrainBegin needs it.
      telemetry.callback,
      firstStepMark(),
      ...(has('telemetry') ? [] : [telemetryCallback(context)]),
      ...configured,
      ...(config.telemetry.samples > 0 && task.splits['val']?.length ? [samplePredictionsCallback(sampleOptions)] : []),
      ...(has('progress') || !context.onProgress ? [] : [progressCallback(context.onProgress)]),
    ];
    const trainer = new Trainer({
      model: task.model,
      optimizer: createOptimizer(task.model.variables, config.optim.optimizer),
      train: task.train,
      validation: task.validation,
      strategy,
      callbacks,
      epochs: config.train.epochs,
      maxSteps: config.train.maxSteps,
      evalEvery: config.train.evalEvery,
      labelSmoothing: config.train.labelSmoothing,
      seed: config.train.seed,
      optim: config.optim,
    });
    markWorkerPhase('trainer');
    const resumedFrom = await resumeTrainer(trainer, folder.checkpoints, { onWarning: (m) => process.stderr.write(`warning: ${m}\n`) });
    markWorkerPhase('resume');
    if (resumedFrom && chief) process.stderr.write(`resuming from ${resumedFrom} (step ${trainer.step}, epoch ${trainer.epoch})\n`);
    await trainer.fit();
    // The chief, rank and size at the end: an elastic group may have re-formed with other ranks.
    const final = { chief: trainer.strategy.isChief, rank: trainer.strategy.rank, worldSize: trainer.strategy.worldSize };
    // The strategy is torn down after fit, so the chief evaluates the whole test split alone.
    const test = final.chief && task.test ? await evaluateModel(task.model, task.test, singleProcessStrategy(), config.train.labelSmoothing) : undefined;
    const last = trainer.history.last();
    const summary: TrainSummary = {
      runId: folder.runId,
      runDir: folder.dir,
      backend: `${backend.name} on ${backend.device}`,
      rank: final.rank,
      worldSize: final.worldSize,
      resumedFrom,
      status: trainer.stopRequested ? 'stopped' : 'completed',
      steps: trainer.step,
      epochs: trainer.epoch,
      last: { ...last },
      test,
      seconds: (performance.now() - started) / 1000,
    };
    if (final.chief) await writeFileAtomic(folder.summary, [Buffer.from(`${JSON.stringify(summary, null, 2)}\n`)]);
    return summary;
  } finally {
    offInterrupt();
    await telemetry.close();
    task.model.dispose();
  }
}

/**
 * The run's event writer on whichever rank is chief: opened when training begins on the chief, and
 * again after an elastic regroup on a rank that became chief (events.jsonl and TensorBoard appended,
 * sequence numbers continuing); closed on a rank that stopped being chief. Sets `context.recorder`.
 */
function chiefTelemetry(folder: RunFolder, config: TelemetryConfig, context: { recorder?: CallbackContext['recorder'] }): { callback: Callback; close: () => Promise<void> } {
  let open: Awaited<ReturnType<typeof openRecorder>> | undefined;
  const close = async (): Promise<void> => {
    const was = open;
    open = undefined;
    context.recorder = undefined;
    await was?.close();
  };
  const follow = async ({ trainer }: { trainer: Trainer }): Promise<void> => {
    if (trainer.strategy.isChief && !open) {
      open = await openRecorder(folder, config);
      context.recorder = open.recorder;
    } else if (!trainer.strategy.isChief && open) {
      await close();
    }
  };
  const callback: Callback & { onRegroup(info: { trainer: Trainer }): Promise<void> } = { name: 'chief-telemetry', onTrainBegin: follow, onRegroup: follow };
  return { callback, close };
}

/** Marks this process's first optimizer step (the end of a restart, for the launcher's timing). */
function firstStepMark(): Callback {
  let marked = false;
  return {
    name: 'first-step-mark',
    onBatchEnd() {
      if (!marked) markWorkerPhase('first-step');
      marked = true;
    },
  };
}

/** The numbers and names a run is compared by in the dashboard's hparams table. */
function hparamsOf(run: LoadedRun): Record<string, number | string | boolean> {
  const { config } = run;
  const optimizer = config.optim.optimizer as { name: string; lr?: number };
  return {
    modalities: config.model.modalities.join('+'),
    fusion: config.model.fusion.name,
    optimizer: optimizer.name,
    ...(optimizer.lr === undefined ? {} : { lr: optimizer.lr }),
    batchSize: config.train.batchSize,
    epochs: config.train.epochs,
    seed: config.train.seed,
  };
}
