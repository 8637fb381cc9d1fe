import type { z } from 'zod';
import { Registry, loadConfigObject } from '@omnitrain/core';
import type { RunRecorder } from '@omnitrain/telemetry';
import type { Callback } from './callback.js';
import type { ProgressUpdate } from './progress-callback.js';

/** What a callback built from a run config may need from the composition root. */
export interface CallbackContext {
  /** The run folder (`runs/<runId>`); relative checkpoint dirs resolve against it. Default: the cwd. */
  readonly runDir?: string;
  /** The run's event writer (telemetry callback; only the chief has one). */
  readonly recorder?: RunRecorder;
  /** The run's display name (run-start event). */
  readonly runName?: string;
  /** The validated run config (run-start event). */
  readonly runConfig?: Record<string, unknown>;
  /** Hyperparameters to compare runs by (run-start event). */
  readonly hparams?: Record<string, number | string | boolean>;
  /** The compute backend as core's initBackend reported it (run-start event). */
  readonly backend?: { name: string; tfjsBackend: string; tfjsVersion: string; device: string; skipped?: { name: string; reason: string }[] };
  /** Class names for confusion matrices. */
  readonly classNames?: readonly string[];
  /** Where the progress callback sends its updates (the CLI's progress bars). */
  readonly onProgress?: (update: ProgressUpdate) => void;
}

/** A registered callback kind: the schema of its options and a factory. */
export interface CallbackType<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  create(options: z.output<S>, context: CallbackContext): Callback;
}

/**
 * The callbacks a run YAML can name (`earlyStopping`, `modelCheckpoint`, `lrMonitor`,
 * `reduceLrOnPlateau`, `telemetry`, `gradualUnfreezing`, `progress`); libs add theirs with
 * `callbackTypes.register`.
 *
 * @example
 * callbackTypes.list(); // ['earlyStopping', 'gradualUnfreezing', ...]
 */
export const callbackTypes = new Registry<CallbackType>('callback');

/**
 * Builds a registered callback from `{ name, ...options }`, validating the options.
 *
 * @param entry The config entry.
 * @param context What the composition root provides (run folder, recorder, progress hook).
 * @throws ConfigError for an unknown name (listing the registered ones) or invalid options.
 *
 * @example
 * const cb = createCallback({ name: 'earlyStopping', monitor: 'val_loss', patience: 3 }, {});
 */
export function createCallback(entry: { readonly name: string; readonly [k: string]: unknown }, context: CallbackContext = {}): Callback {
  const type = callbackTypes.get(entry.name);
  const { name, ...options } = entry;
  const parsed = loadConfigObject(options, type.schema, { source: `callback ${name}` });
  return type.create(parsed, context);
}

/**
 * Registers a callback kind under `name` with its options typed by its schema.
 * @throws ConfigError when the name is taken.
 *
 * @example
 * registerCallbackType('printLoss', { schema: z.strictObject({}), create: () => ({ name: 'printLoss', onEpochEnd: ({ logs }) => console.log(logs.loss) }) });
 */
export function registerCallbackType<S extends z.ZodType>(name: string, type: CallbackType<S>): void {
  callbackTypes.register(name, type as unknown as CallbackType);
}
