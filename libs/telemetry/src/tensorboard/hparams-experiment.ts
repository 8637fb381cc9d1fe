import type { TelemetryEvent } from '../events/event-schema.js';
import type { HparamValue } from './encode-hparams-plugin-data.js';
import { HPARAMS_TAGS } from './tensorboard-values.js';
import type { TensorboardEntry } from './tensorboard-values.js';

/**
 * Follows a run's events to write TensorBoard's hparams `experiment` record at `run-end`: the
 * hparams of `run-start` (with their types) and, as the metrics, the val metrics the run logged
 * (whole-run values, not per rank), in the order first seen. Written at the end because only then
 * are the metric names known; until then TensorBoard builds the HParams tab from the session start.
 *
 * @example
 * const experiment = new HparamsExperiment();
 * for (const event of events) { const entry = experiment.observe(event); if (entry) write(entry); }
 */
export class HparamsExperiment {
  #hparams: Readonly<Record<string, HparamValue>> | undefined;
  readonly #valMetrics = new Set<string>();

  /** Takes in one event; at `run-end` after a `run-start`, returns the experiment record (root folder, step 0). */
  observe(event: TelemetryEvent): TensorboardEntry | undefined {
    if (event.kind === 'run-start') this.#hparams = event.hparams;
    if (event.kind === 'metric' && event.split === 'val' && event.rank === undefined) this.#valMetrics.add(event.name);
    if (event.kind !== 'run-end' || this.#hparams === undefined) return undefined;
    const metrics = [...this.#valMetrics].map((tag) => ({ group: 'val', tag, dataset: 'validation' as const }));
    const experiment = { timeCreatedSecs: event.time / 1000, hparams: this.#hparams, metrics };
    return { folder: '', step: 0, values: [{ tag: HPARAMS_TAGS.experiment, hparams: { experiment } }] };
  }
}
