import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { applyOverrides, loadConfigObject, writeFileAtomic } from '@omnitrain/core';
import { callbackTypes, registerCallbackType } from '@omnitrain/engine';
import { readEvents } from '@omnitrain/telemetry';
import { createPruner, createSampler, formatTrialTable, loadSearchSpace, paramsToOverrides, Study, trialsFromEvents } from '@omnitrain/tune';
import type { Direction, TrialEventDraft, TrialHandle, TrialRecord } from '@omnitrain/tune';
import { runConfigSchema } from '../config/run-config.js';
import { newRunId, runFolder } from '../run/run-folder.js';
import { loadRun } from './load-run.js';
import type { LoadedRun } from './load-run.js';
import { openRecorder } from './open-recorder.js';
import { trainRun } from './train-run.js';

/** Options of {@link tuneCommand} (the flags of `omnitrain tune`). */
export interface TuneCommandOptions {
  /** The base run file. */
  file: string;
  /** The search-space file. */
  space: string;
  trials: number;
  sampler: string;
  pruner: string;
  /** The objective: an epoch-log metric, `val/accuracy` or `val_accuracy`. */
  metric: string;
  mode: Direction;
  parallel: number;
  seed: number;
  /** Grid points per continuous range (grid sampler). */
  gridPoints?: number;
  /** The search's run folder name; an existing one is resumed (finished trials are kept). */
  searchId?: string | undefined;
  /** Where to write the best config. Default `<runsDir>/<searchId>/best.yaml`. */
  out?: string | undefined;
  /** `--set` overrides applied to every trial. */
  overrides: readonly string[];
}

/** What a search did. */
export interface TuneSummary {
  searchId: string;
  searchDir: string;
  trials: TrialRecord[];
  best: TrialRecord | undefined;
  bestConfig: string | undefined;
}

/** Live trials, by key, for the `tuneReport` callback the trials' run configs name. */
const liveTrials = new Map<string, { handle: TrialHandle; metricKey: string; pruner: string }>();

function registerTuneReportCallback(): void {
  if (callbackTypes.has('tuneReport')) return;
  registerCallbackType('tuneReport', {
    schema: z.strictObject({ trial: z.string().describe('Key of the live trial to report to.') }),
    create: ({ trial }) => ({
      name: 'tuneReport',
      async onEpochEnd({ logs, epoch, trainer }) {
        const live = liveTrials.get(trial);
        const value = live ? logs[live.metricKey] : undefined;
        if (!live || value === undefined) return;
        if (live.handle.report(epoch + 1, value)) await trainer.stop(`pruned by ${live.pruner} at epoch ${epoch + 1}`);
      },
    }),
  });
}

/** `val/accuracy` -> `val_accuracy` (the trainer's epoch-log key); `train/loss` -> `loss`. */
function metricKeyOf(metric: string): string {
  const key = metric.replace(/^train[/_]/, '').replace('/', '_');
  return key;
}

const fmt = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)).toString() : String(v));

/**
 * `omnitrain tune <run.yaml> --space space.yaml`: a search whose trials are real training runs.
 * Each trial samples a point (grid, random or TPE), trains the base run with the point as `--set`
 * overrides in its own run folder (`<searchId>-t0000`, ...), reports the metric after every epoch
 * to the pruner (ASHA, median) which may stop it early, and records its life as `trial` events in
 * `<runsDir>/<searchId>/events.jsonl` (the dashboard's trials view). Prints one progress line per
 * event, then the trial table, and writes the best trial's config as YAML. Rerunning with the same
 * `--search-id` resumes: finished trials are kept, the rest run.
 *
 * @example
 * await tuneCommand({ file: 'examples/digits.yaml', space: 'examples/tune-space.yaml', trials: 8, sampler: 'tpe', pruner: 'asha', metric: 'val/accuracy', mode: 'max', parallel: 1, seed: 0, overrides: [] });
 */
export async function tuneCommand(o: TuneCommandOptions): Promise<TuneSummary> {
  const space = await loadSearchSpace(o.space);
  const sampler = createSampler(o.sampler, { seed: o.seed, gridPoints: o.gridPoints });
  const pruner = createPruner(o.pruner);
  const base = await loadRun(o.file, o.overrides, 'tune-base');
  const searchId = o.searchId ?? newRunId(`${base.config.name}-tune`);
  const folder = runFolder(base.config.telemetry.runsDir, searchId);
  await mkdir(folder.dir, { recursive: true });
  const previous = existsSync(folder.events) ? trialsFromEvents((await readEvents(folder.events)).events, searchId) : [];
  await writeFileAtomic(join(folder.dir, 'tune.json'), [Buffer.from(`${JSON.stringify({ ...o, space: o.space, searchSpace: space }, null, 2)}\n`)]);
  registerTuneReportCallback();
  const metricKey = metricKeyOf(o.metric);
  const { recorder, close } = await openRecorder(folder, { ...base.config.telemetry, tensorboard: false });
  const log = (line: string) => process.stderr.write(`[tune ${searchId}] ${line}\n`);
  if (previous.length) log(`resuming: ${previous.length} finished trial(s) kept`);
  const onEvent = (e: TrialEventDraft) => {
    recorder.emit(e);
    const params = Object.entries(e.params).map(([k, v]) => `${k}=${fmt(v)}`).join(' ');
    const obj = e.objective ? ` ${o.metric}=${fmt(e.objective.value)}` : '';
    if (e.state === 'started') log(`${e.trialId} started ${params}`);
    else if (e.state === 'running') log(`${e.trialId} epoch ${e.step}${obj}`);
    else log(`${e.trialId} ${e.state}${e.step !== undefined ? ` at epoch ${e.step}` : ''}${obj}${e.error ? `: ${e.error}` : ''}`);
  };
  const study = new Study({ space, sampler, pruner, direction: o.mode, metric: o.metric, searchId, onEvent, previous });
  const callbacks = base.config.train.callbacks;
  const { runId: _baseId, ...baseTelemetry } = base.config.telemetry;
  const baseConfig = { ...base.config, telemetry: baseTelemetry };
  let result: { trials: TrialRecord[]; best: TrialRecord | undefined };
  try {
    result = await study.optimize(
      async (params, trial) => {
        const key = `${searchId}/${trial.id}`;
        const runId = `${searchId}-${trial.id}`;
        trial.setRunId(runId);
        liveTrials.set(key, { handle: trial, metricKey, pruner: o.pruner });
        try {
          // On the resolved base config, so a point may set fields the run file leaves to defaults.
          const overrides = [...paramsToOverrides(params), `train.callbacks=${JSON.stringify([...callbacks, { name: 'tuneReport', trial: key }])}`];
          const config = loadConfigObject(applyOverrides(baseConfig, overrides), runConfigSchema, { source: `trial ${trial.id} of ${o.space} on ${o.file}` });
          const run: LoadedRun = { config: { ...config, name: base.config.name, telemetry: { ...config.telemetry, runId } }, folder: runFolder(config.telemetry.runsDir, runId) };
          const summary = await trainRun(run, { progress: false, label: `[${trial.id}] ` });
          const value = summary.last[metricKey];
          if (value === undefined) {
            throw new Error(`metric "${o.metric}" (epoch-log key ${metricKey}) was not logged; logged: ${Object.keys(summary.last).join(', ')}`);
          }
          return value;
        } finally {
          liveTrials.delete(key);
        }
      },
      { trials: o.trials, concurrency: o.parallel },
    );
    recorder.emit({ kind: 'run-end', status: 'completed', summary: result.best?.value === undefined ? {} : { [`best/${o.metric}`]: result.best.value } });
  } finally {
    await close();
  }
  process.stdout.write(`${formatTrialTable(result.trials, { metric: o.metric, best: result.best })}\n`);
  let bestConfig: string | undefined;
  if (result.best) {
    bestConfig = o.out ?? join(folder.dir, 'best.yaml');
    await writeBestConfig(bestConfig, result.best, base.config.telemetry.runsDir, o);
    process.stdout.write(`best: ${result.best.id} ${o.metric}=${fmt(result.best.value)} (${Object.entries(result.best.params).map(([k, v]) => `${k}=${fmt(v)}`).join(' ')})\n`);
    process.stdout.write(`best config: ${bestConfig}\nsearch folder: ${folder.dir}\n`);
  } else {
    process.stdout.write(`no trial completed; search folder: ${folder.dir}\n`);
    throw new Error(`tune: expected at least one completed trial, got none of ${result.trials.length} (see ${folder.events})`);
  }
  return { searchId, searchDir: folder.dir, trials: result.trials, best: result.best, bestConfig };
}

/** The best trial's resolved run config as YAML, without the search's own callback and run id. */
async function writeBestConfig(file: string, best: TrialRecord, runsDir: string, o: TuneCommandOptions): Promise<void> {
  const config = JSON.parse(await readFile(runFolder(runsDir, best.runId!).config, 'utf8')) as { train: { callbacks: { name: string }[] }; telemetry: { runId?: string } };
  config.train.callbacks = config.train.callbacks.filter((c) => c.name !== 'tuneReport');
  delete config.telemetry.runId;
  const head = [
    `# Best trial ${best.id} of search ${o.searchId ?? ''} (${o.sampler} sampler, ${o.pruner} pruner): ${o.metric} = ${best.value} (${o.mode})`,
    ...Object.entries(best.params).map(([k, v]) => `#   ${k}: ${JSON.stringify(v)}`),
    `# Train it: omnitrain train ${file}`,
    '',
  ].join('\n');
  await mkdir(join(file, '..'), { recursive: true });
  await writeFileAtomic(file, [Buffer.from(head + stringify(config))]);
}
