import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@omnitrain/core';
import type { Batch, TrainableModel } from '@omnitrain/engine';
import type { DistillationOptions } from './distillation-loss.js';

/** Options of {@link distillationModel}. */
export interface DistillationModelOptions extends DistillationOptions {
  /** The model to train; its variables are the wrapper's variables. */
  student: TrainableModel;
  /** The trained model to imitate; frozen (its variables are not exposed, so never trained). */
  teacher: TrainableModel;
}

/**
 * Knowledge distillation as a {@link TrainableModel}, so the unchanged Trainer (which minimizes the
 * softmax cross-entropy of `forward`'s logits) trains the student on {@link distillationLoss}: in
 * training, `forward` returns the student's logits with a custom gradient that replaces the
 * cross-entropy's `dL/ds = (softmax(s) - y) / batch` (the upstream gradient `dy`) by
 * `alpha * dy + (1 - alpha) * T * (softmax(s/T) - softmax(t/T)) / batch`, which is exactly the
 * gradient of the distillation loss (label smoothing, when set, applies to the hard term). The loss
 * the Trainer logs stays the student's cross-entropy. At evaluation `forward` is the student's.
 *
 * @param options student, teacher, alpha (default 0.5), temperature (default 2).
 * @returns The wrapper; `dispose` frees the student only.
 * @throws ConfigError when the class counts differ or alpha / temperature are out of range.
 *
 * @example
 * const model = distillationModel({ student, teacher, alpha: 0.5, temperature: 4 });
 * await new Trainer({ model, optimizer: createOptimizer(model.variables, { name: 'adam', lr: 1e-3 }), train }).fit();
 */
export function distillationModel(options: DistillationModelOptions): TrainableModel {
  const { student, teacher } = options;
  const alpha = options.alpha ?? 0.5;
  const t = options.temperature ?? 2;
  if (student.numClasses !== teacher.numClasses || !(alpha >= 0 && alpha <= 1) || !(t > 0)) {
    throw new ConfigError({
      op: 'compress.distillationModel',
      expected: 'student and teacher with the same number of classes, 0 <= alpha <= 1, temperature > 0',
      received: `classes ${student.numClasses} vs ${teacher.numClasses}, alpha ${alpha}, temperature ${t}`,
    });
  }
  const soft = tf.customGrad(((s: tf.Tensor, teacherLogits: tf.Tensor, save: tf.GradSaveFunc) => {
    save([s, teacherLogits]);
    return {
      value: tf.clone(s),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sv, tv] = saved as [tf.Tensor, tf.Tensor];
        const diff = tf.sub(tf.softmax(tf.div(sv, t)), tf.softmax(tf.div(tv, t))); // [batch, classes]
        const ds = tf.add(tf.mul(dy, alpha), tf.mul(diff, ((1 - alpha) * t) / sv.shape[0]!));
        return [ds, tf.zerosLike(tv)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (s: tf.Tensor, teacherLogits: tf.Tensor) => tf.Tensor;
  return {
    name: `distill(${student.name})`,
    variables: student.variables,
    numClasses: student.numClasses,
    forward(batch: Batch, opts: { training: boolean }): tf.Tensor2D {
      const logits = student.forward(batch, opts);
      if (!opts.training) return logits;
      const teacherLogits = tf.tidy(() => teacher.forward(batch, { training: false }));
      return soft(logits, teacherLogits) as tf.Tensor2D;
    },
    getConfig: () => student.getConfig(),
    dispose: () => student.dispose(),
  };
}
