/**
 * Where one training step's wall time went, in milliseconds (the `step-time` telemetry event):
 * waiting for the batch, forward + backward, the strategy's collective calls, optimizer update.
 * Each part is a clock interval of its own (none is a remainder of the total) and the intervals are
 * consecutive, so `dataMs + computeMs + allReduceMs + optimizerMs` equals `totalMs` up to float
 * rounding. Callbacks run after the step and are in none of them.
 *
 * @example
 * const t: StepTimings = { dataMs: 0.2, computeMs: 41, allReduceMs: 3.1, optimizerMs: 2.4, totalMs: 46.7 };
 * const commShare = t.allReduceMs / t.totalMs; // 0.066
 */
export interface StepTimings {
  /** Waiting for the next batch from the BatchSource. */
  readonly dataMs: number;
  /** Forward pass, loss, backward pass (with the loss value read back) and, with accumulation, adding the micro-batch's gradients. */
  readonly computeMs: number;
  /**
   * With more than one rank: `strategy.reduceGradients` (gradient all-reduce, including waiting for
   * the slowest rank), `strategy.afterStep` (the replica check) and the metric reduction
   * (`reduceNumbers`; or all in one exchange, `strategy.reduceStep`). Exactly 0 on one process.
   */
  readonly allReduceMs: number;
  /**
   * Schedule and `optimizer.applyGradients`; on one process also the strategy's no-op calls
   * (microseconds). About 0 on a micro-batch that only accumulates.
   */
  readonly optimizerMs: number;
  /** The whole step, from asking for the batch to the end of the metric reduction. */
  readonly totalMs: number;
}
