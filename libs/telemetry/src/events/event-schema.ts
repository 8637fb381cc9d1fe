/**
 * The telemetry event contract shared by the trainer (writer) and the dashboard (reader): one zod
 * schema per event kind, all wrapped in the same envelope. EVENTS.md (beside package.json)
 * documents it for people; this file is the source of truth.
 */
import { z } from 'zod';

/** The contract's version, written in every event as `v`; bumped on any change a reader could miss. */
export const EVENT_SCHEMA_VERSION = 1;

/**
 * A measured number. JSON has no NaN or infinities, so in a log they are written as the strings
 * `"NaN"`, `"Infinity"`, `"-Infinity"` (see `serializeEvent`) and read back as numbers: a loss
 * that diverged is data, not a corrupt line.
 */
const scalar = z
  .union([
    z.custom<number>((value) => typeof value === 'number', 'expected a number'),
    z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number),
  ])
  .describe('a number (NaN and infinities allowed)');

const count = z.number().int().min(0);
const step = count.describe('Optimizer steps taken since the run began (0-based).');
const epoch = count.describe('Epoch index (0-based).');
const rank = count.describe('Worker rank (0-based); absent for the run as a whole.');
const ms = z.number().min(0);
const split = z.enum(['train', 'val', 'test']).describe('Which data split the value was measured on.');
/** Hyperparameter values: what TensorBoard's hparams plugin and the dashboard's table accept. */
const hparams = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));
const mode = z.enum(['min', 'max']).describe('Whether smaller or larger values of the monitor are better.');

/** Fields every event carries. */
const envelope = {
  v: z.literal(EVENT_SCHEMA_VERSION).describe('Contract version.'),
  seq: count.describe('Sequence number: 0 for the first event of a run, then +1 per event, no gaps.'),
  runId: z.string().min(1).describe('The run this event belongs to.'),
  time: z.number().min(0).describe('Wall-clock time the event was recorded, in ms since the Unix epoch.'),
};

const runStart = z.strictObject({
  ...envelope,
  kind: z.literal('run-start'),
  name: z.string().min(1).describe('Display name of the run.'),
  config: z.record(z.string(), z.json()).describe('The full, validated run config as JSON.'),
  hparams: hparams.default({}).describe('The hyperparameters to compare runs by. Default {}.'),
  backend: z
    .strictObject({
      name: z.string().describe('Omnitrain backend name: tensorflow, wasm, cpu.'),
      tfjsBackend: z.string().describe('The tfjs backend active.'),
      tfjsVersion: z.string().describe('tfjs-core version.'),
      device: z.string().describe('The device, in words.'),
      skipped: z
        .array(z.strictObject({ name: z.string(), reason: z.string() }))
        .default([])
        .describe('Backends tried first, and why each failed. Default [].'),
    })
    .describe("The compute backend, as core's initBackend reports it."),
  worldSize: z.number().int().min(1).describe('Number of worker processes.'),
  host: z
    .strictObject({
      hostname: z.string(),
      pid: count,
      platform: z.string(),
      arch: z.string(),
      nodeVersion: z.string(),
      cpus: count,
      memoryBytes: count,
    })
    .describe('The host that started the run (see hostInfo()).'),
  git: z
    .strictObject({ commit: z.string(), branch: z.string().optional(), dirty: z.boolean() })
    .optional()
    .describe('The source revision, when run from a git checkout.'),
  group: z.string().optional().describe('Search or experiment this run belongs to, e.g. a search id.'),
});

const metric = z.strictObject({
  ...envelope,
  kind: z.literal('metric'),
  name: z.string().min(1).describe('Metric name: loss, accuracy, f1_macro, ...'),
  value: scalar,
  step,
  epoch: epoch.optional(),
  split,
  rank: rank.optional(),
});

const learningRate = z.strictObject({
  ...envelope,
  kind: z.literal('learning-rate'),
  step,
  value: scalar,
  group: z.string().optional().describe('Parameter group, when groups have their own rate.'),
});

const stepTime = z.strictObject({
  ...envelope,
  kind: z.literal('step-time'),
  step,
  rank: rank.optional(),
  computeMs: ms.describe('Forward and backward pass.'),
  dataMs: ms.describe('Waiting for the next batch.'),
  allReduceMs: ms.describe('Collective calls of the step: gradient all-reduce, replica check, metric reduction, including waiting for the slowest rank (0 on one process).'),
  optimizerMs: ms.describe('Applying the update.'),
  totalMs: ms.describe('Wall time of the whole step: the sum of the parts (they are back-to-back intervals).'),
  samples: count.optional().describe('Samples this rank processed in the step, for throughput.'),
});

const workerStatus = z.strictObject({
  ...envelope,
  kind: z.literal('worker-status'),
  rank,
  host: z.string(),
  pid: count,
  state: z.enum(['starting', 'ready', 'training', 'evaluating', 'checkpointing', 'idle', 'stalled', 'failed', 'exited']),
  cpuPercent: z.number().min(0).describe('Process CPU use since the last status; 100 = one core.'),
  rssBytes: count,
  step: step.optional(),
  message: z.string().optional().describe('Why the state changed, e.g. the error of a failed worker.'),
});

const system = z.strictObject({
  ...envelope,
  kind: z.literal('system'),
  host: z.string(),
  rank: rank.optional(),
  cpuPercent: z.number().min(0).describe('Host CPU use; 100 = all cores busy.'),
  memoryUsedBytes: count,
  memoryTotalBytes: count,
  loadAverage: z.tuple([z.number(), z.number(), z.number()]).optional().describe('1, 5, 15 min.'),
  gpus: z
    .array(
      z.strictObject({
        index: count,
        utilizationPercent: z.number().min(0),
        memoryUsedBytes: count,
        memoryTotalBytes: count,
      }),
    )
    .optional(),
});

const confusionMatrix = z
  .strictObject({
    ...envelope,
    kind: z.literal('confusion-matrix'),
    step,
    epoch: epoch.optional(),
    split,
    labels: z.array(z.string()).min(1).describe('Class names, in matrix order.'),
    matrix: z.array(z.array(count)).describe('matrix[true][predicted] = sample count.'),
  })
  .refine((e) => e.matrix.length === e.labels.length && e.matrix.every((row) => row.length === e.labels.length), {
    message: 'expected a square matrix with one row and one column per label',
    path: ['matrix'],
  });

const mediaPath = z.string().min(1).describe('Path relative to the run directory, or a URL.');

const samplePredictions = z.strictObject({
  ...envelope,
  kind: z.literal('samples'),
  step,
  epoch: epoch.optional(),
  split,
  items: z.array(
    z.strictObject({
      id: z.string().describe('Sample id from the manifest.'),
      label: z.string().optional().describe('True class, when known.'),
      predicted: z.string(),
      confidence: z.number().min(0).max(1).optional(),
      image: mediaPath.optional(),
      audio: mediaPath.optional(),
      text: z.string().optional().describe('The text input itself.'),
    }),
  ),
});

const histogram = z
  .strictObject({
    ...envelope,
    kind: z.literal('histogram'),
    name: z.string().min(1).describe('What is counted: weights/dense_1/kernel, grads/...'),
    step,
    min: z.number(),
    max: z.number(),
    num: count,
    sum: z.number(),
    sumSquares: z.number(),
    bucketLimits: z.array(z.number()).min(1).describe('Right edge of each bucket, increasing.'),
    buckets: z.array(z.number().min(0)).min(1).describe('Count per bucket; bucket 0 starts at -infinity.'),
  })
  .refine((e) => e.buckets.length === e.bucketLimits.length, {
    message: 'expected as many buckets as bucketLimits',
    path: ['buckets'],
  });

const checkpoint = z.strictObject({
  ...envelope,
  kind: z.literal('checkpoint'),
  step,
  epoch: epoch.optional(),
  path: z.string().min(1).describe('Checkpoint file, relative to the run directory.'),
  bytes: count.optional(),
  monitor: z.strictObject({ name: z.string(), value: scalar }).optional(),
  best: z.boolean().default(false).describe('Whether it is the best so far by the monitor. Default false.'),
});

const earlyStop = z.strictObject({
  ...envelope,
  kind: z.literal('early-stop'),
  step,
  epoch,
  monitor: z.string(),
  mode,
  bestValue: scalar,
  bestEpoch: epoch,
  patience: count,
  restoredBest: z.boolean().describe('Whether the best weights were restored.'),
});

const trial = z.strictObject({
  ...envelope,
  kind: z.literal('trial'),
  searchId: z.string().min(1),
  trialId: z.string().min(1),
  state: z.enum(['started', 'running', 'completed', 'pruned', 'failed']),
  params: hparams.describe('The sampled hyperparameters or architecture choices.'),
  objective: z.strictObject({ name: z.string(), value: scalar, mode }).optional(),
  step: step.optional(),
  trialRunId: z.string().optional().describe("The run holding the trial's own events."),
  error: z.string().optional(),
});

const runEnd = z
  .strictObject({
    ...envelope,
    kind: z.literal('run-end'),
    status: z.enum(['completed', 'failed', 'killed']),
    error: z.string().optional().describe('What went wrong; required when status is failed.'),
    step: step.optional().describe('The last step reached.'),
    summary: z.record(z.string(), scalar).default({}).describe('Final metric values. Default {}.'),
  })
  .refine((e) => e.status !== 'failed' || (e.error !== undefined && e.error !== ''), {
    message: 'expected an error message when status is failed',
    path: ['error'],
  });

/** The schema of every telemetry event, discriminated by `kind`. */
export const telemetryEventSchema = z.discriminatedUnion('kind', [
  runStart,
  metric,
  learningRate,
  stepTime,
  workerStatus,
  system,
  confusionMatrix,
  samplePredictions,
  histogram,
  checkpoint,
  earlyStop,
  trial,
  runEnd,
]);

/** One telemetry event, as read back: defaults filled in, special numbers as numbers. */
export type TelemetryEvent = z.output<typeof telemetryEventSchema>;
/** One telemetry event as it may be written (optional defaults, special numbers as strings allowed). */
export type TelemetryEventInput = z.input<typeof telemetryEventSchema>;
/** The `kind` of an event: `metric`, `run-start`, ... */
export type EventKind = TelemetryEvent['kind'];
/** The event of kind `K`. */
export type EventOfKind<K extends EventKind> = Extract<TelemetryEvent, { kind: K }>;
/** The envelope fields a recorder fills in. */
export type EnvelopeField = keyof typeof envelope;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event without its envelope, as passed to `RunRecorder.emit`; `time` may be given. */
export type EventDraft = DistributiveOmit<TelemetryEventInput, EnvelopeField> & { time?: number };

/** The run-start event. */
export type RunStartEvent = EventOfKind<'run-start'>;
/** A scalar metric at a step. */
export type MetricEvent = EventOfKind<'metric'>;
/** The learning rate at a step. */
export type LearningRateEvent = EventOfKind<'learning-rate'>;
/** Where the time of one step went. */
export type StepTimeEvent = EventOfKind<'step-time'>;
/** A worker's state and heartbeat. */
export type WorkerStatusEvent = EventOfKind<'worker-status'>;
/** Host-level CPU, memory and GPU use. */
export type SystemMetricsEvent = EventOfKind<'system'>;
/** A confusion matrix on a split. */
export type ConfusionMatrixEvent = EventOfKind<'confusion-matrix'>;
/** A few predictions with their inputs, for a person to look at. */
export type SamplePredictionsEvent = EventOfKind<'samples'>;
/** A histogram of values (weights, gradients) at a step. */
export type HistogramEvent = EventOfKind<'histogram'>;
/** A checkpoint was saved. */
export type CheckpointEvent = EventOfKind<'checkpoint'>;
/** Early stopping ended training. */
export type EarlyStopEvent = EventOfKind<'early-stop'>;
/** A trial of a hyperparameter or architecture search changed state. */
export type TrialEvent = EventOfKind<'trial'>;
/** The run ended. */
export type RunEndEvent = EventOfKind<'run-end'>;
