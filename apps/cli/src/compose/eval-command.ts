import { CheckpointError, ConfigError } from '@omnitrain/core';
import { evaluateModel, singleProcessStrategy } from '@omnitrain/engine';
import { multimodalEvalSource } from '@omnitrain/multimodal';
import { formatTable } from '../progress/format-table.js';
import { buildTask } from './build-task.js';
import { composeBackend } from './compose-backend.js';
import { loadModelWeights } from './load-model-weights.js';
import { loadRunFrom } from './load-run.js';

/**
 * `omnitrain eval <run-dir|checkpoint>`: rebuilds the run's data and model from its config.json,
 * loads the checkpoint's weights and evaluates one split; prints loss, accuracy, macro F1 and
 * per-class precision / recall / F1.
 *
 * @example
 * await evalCommand({ target: 'runs/digits-a', split: 'test', overrides: [] });
 */
export async function evalCommand(options: { target: string; split: string; overrides: readonly string[] }): Promise<void> {
  const { run, checkpoint } = await loadRunFrom(options.target, options.overrides);
  if (checkpoint === undefined) {
    throw new CheckpointError({
      op: 'cli.eval',
      expected: 'a checkpoint in the run folder',
      received: 'none',
      where: `folder ${run.folder.checkpoints}`,
      hint: 'train the run first (checkpoints are written every epoch by default)',
    });
  }
  const backend = await composeBackend(run.config.runtime.backend);
  const task = await buildTask(run.config, { rank: 0, worldSize: 1 });
  try {
    const samples = task.splits[options.split];
    if (!samples?.length) {
      throw new ConfigError({
        op: 'cli.eval',
        expected: `a non-empty split among ${Object.keys(task.splits).join(', ')}`,
        received: `"${options.split}"`,
        where: 'flag --split',
      });
    }
    const step = await loadModelWeights(task.model, checkpoint);
    const source = multimodalEvalSource({ samples, featurizer: task.featurizer, batchSize: run.config.train.batchSize });
    const r = await evaluateModel(task.model, source, singleProcessStrategy(), run.config.train.labelSmoothing);
    const perClass = task.classes.map((c, i) => ({ class: c, precision: r.precision[i], recall: r.recall[i], f1: r.f1[i], samples: r.confusion[i]!.reduce((a, b) => a + b, 0) }));
    process.stdout.write(
      [
        `checkpoint: ${checkpoint} (step ${step}); backend ${backend.name}`,
        formatTable([{ split: options.split, samples: r.count, loss: r.loss, accuracy: r.accuracy, 'f1 macro': r.f1Macro, 'roc auc': r.rocAucMacro }]),
        '',
        formatTable(perClass),
      ].join('\n') + '\n',
    );
  } finally {
    task.model.dispose();
  }
}
