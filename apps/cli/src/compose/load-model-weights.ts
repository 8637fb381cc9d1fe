import { CheckpointError } from '@omnitrain/core';
import { disposeCheckpoint, loadCheckpoint } from '@omnitrain/engine';
import type { TrainableModel } from '@omnitrain/engine';

/**
 * Copies a checkpoint's model weights into `model` (for eval and predict; the optimizer state and
 * data position are not needed there). Every variable must be in the checkpoint with its shape.
 *
 * @param model The model, built from the run's config.
 * @param path The checkpoint file.
 * @returns The checkpoint's step.
 * @throws CheckpointError when the file is corrupt or does not fit the model.
 *
 * @example
 * const step = await loadModelWeights(task.model, 'runs/a/checkpoints/step-00000100.safetensors');
 */
export async function loadModelWeights(model: TrainableModel, path: string): Promise<number> {
  const state = await loadCheckpoint(path);
  try {
    const problems = Object.entries(model.variables).flatMap(([name, v]) => {
      const w = state.weights[name];
      if (w === undefined) return [`missing ${name}`];
      return w.shape.join(',') === v.shape.join(',') ? [] : [`${name} [${w.shape}] vs model [${v.shape}]`];
    });
    if (problems.length) {
      throw new CheckpointError({
        op: 'cli.loadModelWeights',
        expected: `weights for every variable of the run's model (${Object.keys(model.variables).length})`,
        received: problems.slice(0, 5).join('; '),
        where: `file ${path}`,
        hint: 'evaluate a checkpoint with the run folder it was written in (its config.json builds the model)',
      });
    }
    for (const [name, v] of Object.entries(model.variables)) v.assign(state.weights[name]!);
    return state.step;
  } finally {
    disposeCheckpoint(state);
  }
}
