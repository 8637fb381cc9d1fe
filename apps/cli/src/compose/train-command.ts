import { formatTable } from '../progress/format-table.js';
import { loadRun } from './load-run.js';
import { trainRun } from './train-run.js';
import type { TrainSummary } from './train-run.js';

/**
 * `omnitrain train <run.yaml>`: trains (or, as a launched worker, trains its shard), then the
 * chief prints the summary table and where the run folder is.
 *
 * @example
 * await trainCommand({ file: 'examples/digits.yaml', overrides: ['train.epochs=1'] });
 */
export async function trainCommand(options: { file: string; overrides: readonly string[]; runId?: string | undefined }): Promise<TrainSummary> {
  const run = await loadRun(options.file, options.overrides, options.runId);
  const summary = await trainRun(run);
  if (summary.rank === 0) {
    process.stdout.write(`${formatTrainSummary(summary)}\n`);
  }
  return summary;
}

/**
 * The table `train` ends with: run, backend, steps, epochs, last train/val metrics, test metrics.
 *
 * @example
 * console.log(formatTrainSummary(summary));
 */
export function formatTrainSummary(s: TrainSummary): string {
  const row = {
    run: s.runId,
    status: s.status,
    workers: s.worldSize,
    epochs: s.epochs,
    steps: s.steps,
    loss: s.last['loss'],
    accuracy: s.last['accuracy'],
    'val accuracy': s.last['val_accuracy'],
    'test accuracy': s.test?.accuracy,
    'test f1 macro': s.test?.f1Macro,
    seconds: Number(s.seconds.toFixed(1)),
  };
  const lines = [
    formatTable([row], { title: 'summary' }),
    `backend: ${s.backend}${s.resumedFrom ? `; resumed from ${s.resumedFrom}` : ''}`,
    `run folder: ${s.runDir} (events.jsonl, tensorboard/, checkpoints/, config.json, cleaning-report.jsonl)`,
  ];
  return lines.join('\n');
}
