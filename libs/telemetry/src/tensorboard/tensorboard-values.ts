import type { TelemetryEvent } from '../events/event-schema.js';
import type { HparamsSessionStatus } from './encode-hparams-plugin-data.js';
import type { TensorboardValue } from './encode-summary-value.js';

/** What an event becomes in TensorBoard: values at a step, in the folder of a split (or the root). */
export interface TensorboardEntry {
  /** Sub-folder (a TensorBoard "run"): `train`, `val`, `test`, or '' for run-wide values. */
  folder: string;
  step: number;
  values: TensorboardValue[];
}

/**
 * Maps a telemetry event to TensorBoard values, the way Keras lays them out: a metric goes to
 * the folder of its split under its own name, so `train/` and `val/` loss share one chart;
 * learning rate, step-time split and histograms go to the root folder. A per-rank value gets a
 * `/rank<r>` suffix. `run-start` becomes the hparams plugin's session start (its `hparams`) and
 * `run-end` the session end (completed = success, failed and killed = failure), both in the root
 * folder, which is the session. `samples` need their media files read: see `sampleSummaries`.
 * Kinds TensorBoard has no chart for (worker status, system, ...) give undefined.
 *
 * @example tensorboardValues(metricEvent); // { folder: 'val', step: 120, values: [{ tag: 'loss', simpleValue: 0.41 }] }
 */
export function tensorboardValues(event: TelemetryEvent): TensorboardEntry | undefined {
  switch (event.kind) {
    case 'metric':
      return { folder: event.split, step: event.step, values: [{ tag: perRank(event.name, event.rank), simpleValue: event.value }] };
    case 'learning-rate': {
      const tag = event.group === undefined ? 'learning_rate' : `learning_rate/${event.group}`;
      return { folder: '', step: event.step, values: [{ tag, simpleValue: event.value }] };
    }
    case 'step-time': {
      const parts: Array<[string, number]> = [
        ['compute_ms', event.computeMs],
        ['data_ms', event.dataMs],
        ['all_reduce_ms', event.allReduceMs],
        ['optimizer_ms', event.optimizerMs],
        ['total_ms', event.totalMs],
      ];
      if (event.samples !== undefined && event.totalMs > 0) parts.push(['samples_per_sec', (event.samples * 1000) / event.totalMs]);
      const values = parts.map(([name, value]) => ({ tag: perRank(`step_time/${name}`, event.rank), simpleValue: value }));
      return { folder: '', step: event.step, values };
    }
    case 'histogram':
      return { folder: '', step: event.step, values: [{ tag: event.name, histogram: event }] };
    case 'run-start':
      return { folder: '', step: 0, values: [{ tag: HPARAMS_TAGS.sessionStart, hparams: { sessionStart: { startTimeSecs: event.time / 1000, hparams: event.hparams } } }] };
    case 'run-end': {
      const sessionEnd = { endTimeSecs: event.time / 1000, status: SESSION_STATUS[event.status] };
      return { folder: '', step: event.step ?? 0, values: [{ tag: HPARAMS_TAGS.sessionEnd, hparams: { sessionEnd } }] };
    }
    default:
      return undefined;
  }
}

/** The tags TensorBoard's hparams plugin reads (tensorboard/plugins/hparams/metadata.py). */
export const HPARAMS_TAGS = {
  experiment: '_hparams_/experiment',
  sessionStart: '_hparams_/session_start_info',
  sessionEnd: '_hparams_/session_end_info',
} as const;

const SESSION_STATUS: Record<'completed' | 'failed' | 'killed', HparamsSessionStatus> = { completed: 'success', failed: 'failure', killed: 'failure' };

function perRank(tag: string, rank: number | undefined): string {
  return rank === undefined ? tag : `${tag}/rank${rank}`;
}
