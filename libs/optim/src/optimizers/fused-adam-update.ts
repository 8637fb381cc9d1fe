import * as tf from '@tensorflow/tfjs-core';
import type { AdamConfig } from './adam.js';
import type { GroupOptions } from './optimizer-schema.js';
import type { UpdateContext, UpdateResult } from './update-rule.js';

/**
 * The fused Adam kernel's name in tfjs' kernel registry, registered for wasm by
 * `registerWasmTrainingKernels` of @omnitrain/wasm-kernels (which this lib may not import: the name,
 * inputs, attributes and outputs used below are that package's `ADAM_UPDATE` contract, kept in step
 * by hand).
 */
export const FUSED_ADAM_KERNEL = 'OmnitrainAdamUpdate';

/**
 * Adam's update of one parameter as ONE kernel call (`OmnitrainAdamUpdate`) when the active backend
 * has that kernel, instead of ~10 element-wise ops; bit-identical to the op-by-op rule (same float32
 * operations in the same order). Returns undefined, so the caller runs the op-by-op rule, when the
 * backend lacks the kernel or the slots are not a set the kernel takes (an imported state with
 * `expAvg` but no `expAvgSq`, AMSGrad without `maxExpAvgSq`).
 *
 * @example
 * const result = fusedAdamUpdate(ctx) ?? opByOpAdamUpdate(ctx);
 */
export function fusedAdamUpdate(ctx: UpdateContext<GroupOptions<AdamConfig>>): UpdateResult | undefined {
  const { param, grad, slots, step, lr, options: o } = ctx;
  if (tf.getKernel(FUSED_ADAM_KERNEL, tf.getBackend()) === undefined) return undefined;
  const { expAvg, expAvgSq, maxExpAvgSq } = slots;
  const first = expAvg === undefined && expAvgSq === undefined && maxExpAvgSq === undefined;
  const complete = expAvg !== undefined && expAvgSq !== undefined && (!o.amsgrad || maxExpAvgSq !== undefined);
  if (!first && !complete) return undefined;
  const inputs: tf.NamedTensorMap = first ? { param, grad } : { param, grad, expAvg: expAvg!, expAvgSq: expAvgSq! };
  if (!first && o.amsgrad) inputs['maxExpAvgSq'] = maxExpAvgSq!;
  const attrs = {
    beta1: o.beta1,
    beta2: o.beta2,
    eps: o.eps,
    stepSize: lr / (1 - o.beta1 ** step),
    correction2Sqrt: Math.sqrt(1 - o.beta2 ** step),
    amsgrad: o.amsgrad,
  };
  const [p, m, v, vmax] = tf.engine().runKernel(FUSED_ADAM_KERNEL, inputs, attrs) as tf.Tensor[];
  return { param: p!, slots: o.amsgrad ? { expAvg: m!, expAvgSq: v!, maxExpAvgSq: vmax! } : { expAvg: m!, expAvgSq: v! } };
}
