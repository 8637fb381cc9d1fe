import { writeFile } from 'node:fs/promises';
import { CheckpointError } from '@omnitrain/core';
import { readManifest } from '@omnitrain/data';
import { Trainer } from '@omnitrain/engine';
import { multimodalEvalSource } from '@omnitrain/multimodal';
import { createOptimizer } from '@omnitrain/optim';
import { buildTask } from './build-task.js';
import { composeBackend } from './compose-backend.js';
import { loadModelWeights } from './load-model-weights.js';
import { loadRunFrom } from './load-run.js';

/**
 * `omnitrain predict <checkpoint> <manifest>`: predicts every row of a manifest (labels optional)
 * with a run's checkpoint; writes one JSON line per row: id, predicted class, its probability, the
 * row's label when it had one, and every class's probability.
 *
 * @example
 * await predictCommand({ checkpoint: 'runs/digits-a', manifest: 'new.jsonl', out: 'preds.jsonl', overrides: [] });
 */
export async function predictCommand(options: { checkpoint: string; manifest: string; out?: string | undefined; overrides: readonly string[] }): Promise<void> {
  const { run, checkpoint } = await loadRunFrom(options.checkpoint, options.overrides);
  if (checkpoint === undefined) {
    throw new CheckpointError({ op: 'cli.predict', expected: 'a checkpoint', received: 'none', where: `folder ${run.folder.checkpoints}`, hint: 'train the run first' });
  }
  await composeBackend(run.config.runtime.backend);
  const task = await buildTask(run.config, { rank: 0, worldSize: 1 });
  try {
    await loadModelWeights(task.model, checkpoint);
    const { samples } = await readManifest(options.manifest);
    // Featurizing needs a known label; predictions do not use it, so unlabeled rows get the first class.
    const known = new Set(task.classes);
    const rows = samples.map((s) => ({ ...s, labels: s.labels.length && known.has(s.labels[0]!) ? s.labels : [task.classes[0]!] }));
    const trainer = new Trainer({ model: task.model, optimizer: createOptimizer(task.model.variables, run.config.optim.optimizer), train: task.train });
    const predictions = await trainer.predict(multimodalEvalSource({ samples: rows, featurizer: task.featurizer, batchSize: run.config.train.batchSize }).batches());
    const lines = predictions.map((p, i) => {
      const s = samples[i]!;
      const probabilities = Object.fromEntries(task.classes.map((c, k) => [c, Number(p.probabilities[k]!.toFixed(6))]));
      return JSON.stringify({ id: s.id, predicted: task.classes[p.predicted], probability: p.probabilities[p.predicted], ...(s.labels.length ? { label: s.labels[0] } : {}), probabilities });
    });
    const text = lines.map((l) => `${l}\n`).join('');
    if (options.out) {
      await writeFile(options.out, text);
      const labeled = predictions.filter((p, i) => samples[i]!.labels.length > 0);
      const correct = predictions.filter((p, i) => samples[i]!.labels[0] === task.classes[p.predicted]).length;
      process.stdout.write(`${predictions.length} predictions written to ${options.out}${labeled.length ? `; accuracy on the ${labeled.length} labeled rows ${(correct / labeled.length).toFixed(4)}` : ''}\n`);
    } else {
      process.stdout.write(text);
    }
  } finally {
    task.model.dispose();
  }
}
