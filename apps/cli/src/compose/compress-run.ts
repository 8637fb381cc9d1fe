import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, ConfigError, saveWeights, writeFileAtomic } from '@omnitrain/core';
import { Trainer, evaluateModel, singleProcessStrategy } from '@omnitrain/engine';
import type { TrainableModel } from '@omnitrain/engine';
import { createOptimizer } from '@omnitrain/optim';
import {
  applyMasks,
  countNonzero,
  distillationModel,
  loadQuantizedWeights,
  magnitudeMasks,
  parsePruneConfig,
  parseQuantizeConfig,
  pruningCallback,
  quantizeWeights,
  saveQuantizedWeights,
} from '@omnitrain/compress';
import { formatTable } from '../progress/format-table.js';
import { newRunId, runFolder } from '../run/run-folder.js';
import { buildTask } from './build-task.js';
import { composeBackend } from './compose-backend.js';
import { loadModelWeights } from './load-model-weights.js';
import { loadRun, loadRunFrom } from './load-run.js';
import type { RunConfig } from '../config/run-config.js';

/** Options of {@link compressRun} (the flags of `omnitrain compress`). */
export interface CompressRunOptions {
  /** A run folder or a checkpoint inside one. */
  target: string;
  /** Target sparsity in [0, 1) of magnitude pruning; undefined = no pruning. */
  prune?: number | undefined;
  /** Prune whole output units (filters) by L1 norm instead of single weights. */
  structured?: boolean;
  /** Fine-tune epochs with the pruning schedule (0 = prune once, no training). Default 0. */
  finetuneEpochs?: number;
  /** Post-training quantization; undefined = none. */
  quantize?: 'int8' | undefined;
  /** One scale per output channel instead of one per tensor. */
  perChannel?: boolean;
  /** A trained run (folder or checkpoint) to distill from; needs {@link CompressRunOptions.student}. */
  distillFrom?: string | undefined;
  /** The student's run file (same data and features, a smaller model), trained for its `train.epochs`. */
  student?: string | undefined;
  /** Weight of the hard-label loss in distillation. Default 0.5. */
  alpha?: number;
  /** Distillation temperature. Default 2. */
  temperature?: number;
  /** The new run folder's name under the source run's runs root. Default `<runId>-compressed-<UTC time>`. */
  runId?: string | undefined;
  /** `--set` overrides of the run config. */
  overrides?: readonly string[];
}

/** One row of the compress table. */
export interface CompressVariant {
  variant: string;
  /** The weights file, relative to the new run folder. */
  file: string;
  params: number;
  nonzero: number;
  /** The file's size on disk. */
  bytes: number;
  accuracy: number;
  /** accuracy - the baseline's accuracy. */
  delta: number;
}

/** What {@link compressRun} did. */
export interface CompressSummary {
  runDir: string;
  source: string;
  variants: CompressVariant[];
  /** Largest |w - dequantize(quantize(w))| when quantized. */
  maxAbsError?: number | undefined;
}

const OP = 'cli.compress';

/**
 * The composition root of `omnitrain compress`: rebuilds a trained run's model and data, loads its
 * checkpoint, writes the float32 baseline, then (each step optional) magnitude pruning with an
 * optional fine-tune under a polynomial-decay schedule, and int8 post-training quantization
 * (evaluated with the dequantized weights: fake-quant). Each variant is evaluated on the test split
 * and saved under `<new run>/compressed/`; `<new run>/compress.json` holds the table and
 * `<new run>/config.json` the config that rebuilds the compressed model (the student's when distilled).
 *
 * @param options The command's flags.
 * @returns The new run folder and the table's rows.
 * @throws CheckpointError without a checkpoint; ConfigError without a test split, or with a student whose features differ.
 *
 * @example
 * const summary = await compressRun({ target: 'runs/digits-a', prune: 0.5, finetuneEpochs: 1, quantize: 'int8', perChannel: true });
 */
export async function compressRun(options: CompressRunOptions): Promise<CompressSummary> {
  const { run, checkpoint } = await loadRunFrom(options.target, options.overrides ?? []);
  if (checkpoint === undefined) {
    throw new CheckpointError({ op: OP, expected: 'a checkpoint in the run folder', received: 'none', where: `folder ${run.folder.checkpoints}`, hint: 'train the run first' });
  }
  await composeBackend(run.config.runtime.backend);
  let task = await buildTask(run.config, { rank: 0, worldSize: 1 });
  let model: TrainableModel = task.model;
  let config: RunConfig = run.config;
  try {
    let test = task.test;
    if (test === undefined) {
      throw new ConfigError({ op: OP, expected: 'a test split to evaluate the variants on', received: 'none', where: `file ${run.folder.config}`, hint: 'set data.split so that test > 0' });
    }
    await loadModelWeights(model, checkpoint);
    const runId = options.runId ?? newRunId(`${run.folder.runId}-compressed`);
    const out = runFolder(join(run.folder.dir, '..'), runId);
    const dir = join(out.dir, 'compressed');
    await mkdir(dir, { recursive: true });
    const evaluate = async () => (await evaluateModel(model, test!, singleProcessStrategy(), config.train.labelSmoothing)).accuracy;
    const variants: CompressVariant[] = [];
    const add = async (variant: string, file: string, write: (path: string) => Promise<unknown>, weights: Record<string, tf.Tensor>): Promise<void> => {
      await write(join(dir, file));
      const accuracy = await evaluate();
      const count = countNonzero(Object.values(weights).map((w) => w.dataSync() as Float32Array));
      variants.push({ variant, file: `compressed/${file}`, params: count.total, nonzero: count.nonzero, bytes: (await stat(join(dir, file))).size, accuracy, delta: accuracy - (variants[0]?.accuracy ?? accuracy) });
    };
    await add('baseline (float32)', 'baseline.safetensors', (p) => saveWeights(p, model.variables), model.variables);
    let name = 'baseline';
    if (options.distillFrom !== undefined && options.student !== undefined) {
      const student = await distill(options.distillFrom, options.student, options);
      model.dispose();
      ({ task, config } = student);
      model = task.model;
      test = task.test ?? test;
      name = 'student';
      await add(`student distilled (${config.train.epochs} ep)`, 'student.safetensors', (p) => saveWeights(p, model.variables), model.variables);
    }
    const vars = model.variables;
    if (options.prune !== undefined) {
      name = `pruned-${options.structured ? 'structured' : 'unstructured'}-${options.prune}`;
      await prune(model, task.train, config, options);
      await add(`pruned ${options.structured ? 'structured ' : ''}${options.prune}${options.finetuneEpochs ? ` + ${options.finetuneEpochs} ep fine-tune` : ''}`, `${name}.safetensors`, (p) => saveWeights(p, vars), vars);
    }
    let maxAbsError: number | undefined;
    if (options.quantize !== undefined) {
      const config = parseQuantizeConfig({ granularity: options.perChannel ? 'per-channel' : 'per-tensor' }, 'flags --quantize/--per-channel');
      const quantized = quantizeWeights(vars, config);
      maxAbsError = quantized.maxAbsError;
      const file = `${name}-int8.safetensors`;
      await saveQuantizedWeights(join(dir, file), quantized);
      // Fake-quant evaluation: the model runs on the dequantized weights the file holds.
      const { tensors } = await loadQuantizedWeights(join(dir, file));
      for (const [n, v] of Object.entries(vars)) v.assign(tensors[n]!);
      await add(`${name === 'baseline' ? '' : `${name} + `}int8 ${config.granularity}`, file, async () => undefined, tensors);
      tf.dispose(Object.values(tensors));
    }
    // The config of the model the compressed files hold (the student's after distillation), so it can be rebuilt.
    await writeFileAtomic(out.config, [Buffer.from(`${JSON.stringify({ ...config, telemetry: { ...config.telemetry, runId } }, null, 2)}\n`)]);
    const summary: CompressSummary = { runDir: out.dir, source: checkpoint, variants, maxAbsError };
    await writeFileAtomic(join(out.dir, 'compress.json'), [Buffer.from(`${JSON.stringify(summary, null, 2)}\n`)]);
    return summary;
  } finally {
    model.dispose();
  }
}

/** Trains the student of `studentFile` on the distillation loss against the teacher run's model. */
async function distill(teacherTarget: string, studentFile: string, options: CompressRunOptions): Promise<{ task: Awaited<ReturnType<typeof buildTask>>; config: RunConfig }> {
  const teacherRun = await loadRunFrom(teacherTarget, []);
  if (teacherRun.checkpoint === undefined) {
    throw new CheckpointError({ op: OP, expected: 'a checkpoint in the teacher run', received: 'none', where: `folder ${teacherRun.run.folder.checkpoints}`, hint: 'train the teacher first' });
  }
  const { config } = await loadRun(studentFile, options.overrides ?? []);
  if (JSON.stringify(config.features) !== JSON.stringify(teacherRun.run.config.features) || config.model.numClasses !== teacherRun.run.config.model.numClasses) {
    throw new ConfigError({ op: OP, expected: "the student's features and numClasses equal to the teacher's", received: 'different ones', where: `file ${studentFile}`, hint: `copy the features section of ${teacherRun.run.folder.config}` });
  }
  const teacherTask = await buildTask(teacherRun.run.config, { rank: 0, worldSize: 1 });
  const task = await buildTask(config, { rank: 0, worldSize: 1 });
  try {
    await loadModelWeights(teacherTask.model, teacherRun.checkpoint);
    for (const v of Object.values(teacherTask.model.variables)) v.trainable = false;
    const model = distillationModel({ student: task.model, teacher: teacherTask.model, alpha: options.alpha ?? 0.5, temperature: options.temperature ?? 2 });
    const trainer = new Trainer({
      model,
      optimizer: createOptimizer(model.variables, config.optim.optimizer),
      train: task.train,
      epochs: config.train.epochs,
      evalEvery: 0,
      labelSmoothing: config.train.labelSmoothing,
      seed: config.train.seed,
      optim: config.optim,
    });
    await trainer.fit();
    return { task, config };
  } catch (error) {
    task.model.dispose();
    throw error;
  } finally {
    teacherTask.model.dispose();
  }
}

/** Prunes in place: at once, or over a fine-tune whose schedule reaches the target at 3/4 of its steps. */
async function prune(model: TrainableModel, train: Awaited<ReturnType<typeof buildTask>>['train'], config: RunConfig, options: CompressRunOptions): Promise<void> {
  const epochs = options.finetuneEpochs ?? 0;
  const structure = options.structured ? 'structured' : 'unstructured';
  if (epochs === 0) {
    const masks = magnitudeMasks(model.variables, parsePruneConfig({ sparsity: options.prune, structure }, 'flag --prune'));
    applyMasks(model.variables, masks);
    tf.dispose(Object.values(masks));
    return;
  }
  const endStep = Math.max(1, Math.round(0.75 * epochs * train.batchesPerEpoch()));
  const trainer = new Trainer({
    model,
    optimizer: createOptimizer(model.variables, config.optim.optimizer),
    train,
    epochs,
    evalEvery: 0,
    labelSmoothing: config.train.labelSmoothing,
    seed: config.train.seed,
    callbacks: [pruningCallback({ sparsity: options.prune, structure, schedule: { endStep } })],
  });
  await trainer.fit();
}

/**
 * `omnitrain compress`: runs {@link compressRun} and prints its table (variant, params, nonzero,
 * bytes, accuracy, delta) and the quantization's max abs error.
 *
 * @example
 * await compressCommand({ target: 'runs/digits-a', prune: 0.5, quantize: 'int8' });
 */
export async function compressCommand(options: CompressRunOptions): Promise<void> {
  const s = await compressRun(options);
  const rows = s.variants.map((v) => ({ variant: v.variant, params: v.params, nonzero: v.nonzero, bytes: v.bytes, accuracy: v.accuracy, delta: v.delta, file: v.file }));
  process.stdout.write(
    [
      `source: ${s.source}`,
      `compressed run: ${s.runDir}`,
      formatTable(rows, { columns: ['variant', 'params', 'nonzero', 'bytes', 'accuracy', 'delta', 'file'] }),
      ...(s.maxAbsError === undefined ? [] : [`int8 max abs weight error: ${s.maxAbsError.toExponential(3)}`]),
    ].join('\n') + '\n',
  );
}
