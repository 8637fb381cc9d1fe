/**
 * Where one training step's wall time went, in milliseconds (the `step-time` telemetry event):
 * waiting for the batch, forward + backward, gradient all-reduce, optimizer update.
 */
export interface StepTimings {
  /** Waiting for the next batch from the BatchSource. */
  readonly dataMs: number;
  /** Forward pass, loss and backward pass (with the loss value read back). */
  readonly computeMs: number;
  /** `strategy.reduceGradients` (0 on a micro-batch that only accumulates). */
  readonly allReduceMs: number;
  /** Schedule, `optimizer.applyGradients` and `strategy.afterStep`. */
  readonly optimizerMs: number;
  /** The whole step, metric reduction included (at least the sum of the parts). */
  readonly totalMs: number;
}
