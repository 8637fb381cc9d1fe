import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, DistributedError, Rng } from '@omnitrain/core';
import type { RngState } from '@omnitrain/core';
import { GradientAccumulator, applySchedule, createSchedule, l1l2Penalty, matchParams, parseOptimConfig } from '@omnitrain/optim';
import type { LrSchedule, NamedGradients, OptimConfigInput, Optimizer } from '@omnitrain/optim';
import type { Callback, EarlyStopDetails, HookInfo, RegroupInfo } from '../callbacks/callback.js';
import type { CheckpointState } from '../checkpoint/checkpoint-state.js';
import { disposeCheckpoint, loadCheckpoint } from '../checkpoint/load-checkpoint.js';
import type { Batch, TrainableModel } from '../model/trainable-model.js';
import type { BatchSource, EvalSource, TrainBatch } from '../data/batch-source.js';
import { singleProcessStrategy } from '../strategy/single-process-strategy.js';
import type { RegroupRequest, Strategy, StrategyContext } from '../strategy/strategy.js';
import { disposeBatch, evaluateModel } from './evaluate-model.js';
import type { EvalResult } from './evaluate-model.js';
import { History } from './history.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';
import type { StepTimings } from './step-timings.js';
import { requireGradients } from './require-gradients.js';
import { withPlace } from './with-place.js';

/** Options of {@link Trainer}. */
export interface TrainerOptions {
  /** The model; its variables' `trainable` flags decide what is trained. */
  model: TrainableModel;
  /** The optimizer over the model's variables (optim's `createOptimizer`). */
  optimizer: Optimizer;
  /** This rank's training batches. */
  train: BatchSource;
  /** This rank's validation batches. Default: no evaluation. */
  validation?: EvalSource;
  /** How replicas cooperate. Default `singleProcessStrategy()`. */
  strategy?: Strategy;
  /** Hooks, called in order. Default []. */
  callbacks?: Callback[];
  /** Epochs to train. Default 1. */
  epochs?: number;
  /** Stop after this many optimizer steps. Default: no cap. */
  maxSteps?: number;
  /** Evaluate every N epochs (and after the last); 0 turns it off. Default 1. */
  evalEvery?: number;
  /** Label smoothing of the softmax cross-entropy. Default 0. */
  labelSmoothing?: number;
  /** Seed of the trainer's random stream (`trainer.rng`). Default 0. */
  seed?: number;
  /**
   * The rest of the run's `optim:` section (its `optimizer` is ignored: pass the built one): the
   * schedule and its interval, the l1/l2 penalty and its params, gradient accumulation. A constant
   * schedule without warm-up is not applied, so reduce-on-plateau's changes stick. Default: none.
   */
  optim?: Omit<OptimConfigInput, 'optimizer'>;
  /**
   * With an elastic strategy (`strategy.regroup`): the most times the group may re-form during one
   * `fit` (failures and joins together), so a flapping worker cannot keep the job looping. Default 100.
   */
  maxRegroups?: number;
}

/** One prediction of {@link Trainer.predict}. */
export interface Prediction {
  /** The sample's id, when the batch had ids. */
  readonly id?: string | undefined;
  /** Arg-max class. */
  readonly predicted: number;
  /** Softmax probabilities [classes]. */
  readonly probabilities: number[];
}

const OP = 'engine.Trainer';

/**
 * When an optimizer step's phases ended (`performance.now()`): the gradient reduction, the update;
 * with `strategy.reduceStep`, the metric counts summed over the ranks in the same exchange.
 */
interface StepMarks {
  readonly reduced: number;
  readonly applied: number;
  readonly numbers?: number[] | undefined;
}

/**
 * The step boundary the live weights and optimizer state belong to: what a checkpoint taken there
 * would hold besides the tensors. It moves right after each optimizer update is applied (and at each
 * epoch's end), never with a batch drawn for an update that was not applied, so after any failure
 * the live variables plus this commit are one consistent state to roll back to.
 */
interface Commit {
  readonly step: number;
  readonly epoch: number;
  readonly batchInEpoch: number;
  readonly sampler: TrainBatch['resumeState'] | undefined;
  readonly epochCounts: readonly number[];
  readonly rng: RngState;
  readonly history: readonly { epoch: number; step: number; logs: Record<string, number> }[];
  readonly callbacks: Readonly<Record<string, unknown>>;
}

/** Thrown inside the loop when the last step agreed that workers wait to join (caught by `fit`). */
class JoinPending extends Error {}

/**
 * The training loop: per batch, gradients of the softmax cross-entropy (plus penalties) over the
 * trainable variables, `strategy.reduceGradients`, the optimizer step and `strategy.afterStep`;
 * metrics reduced over ranks (with a strategy's `reduceStep`, gradients and metrics in one exchange);
 * each step's time split reported to callbacks; every tensor disposed.
 * Checkpoints, early stopping, telemetry, ... are callbacks.
 *
 * @example
 * const trainer = new Trainer({ model, optimizer: createOptimizer(model.variables, { name: 'adam', lr: 1e-3 }),
 *   train, validation, epochs: 5, callbacks: [earlyStopping({ patience: 2 })] });
 * const history = await trainer.fit();
 */
export class Trainer {
  readonly model: TrainableModel;
  readonly optimizer: Optimizer;
  readonly strategy: Strategy;
  readonly callbacks: readonly Callback[];
  readonly train: BatchSource;
  readonly validation: EvalSource | undefined;
  readonly epochs: number;
  readonly maxSteps: number;
  readonly evalEvery: number;
  readonly labelSmoothing: number;
  /** The trainer's seeded random stream, saved in checkpoints (for models and callbacks that draw). */
  rng: Rng;
  readonly history = new History();
  readonly #schedule: { schedule: LrSchedule; interval: 'step' | 'epoch' } | undefined;
  readonly #penalty: { l1: number; l2: number; params: string[] } | undefined;
  readonly #accumulator: GradientAccumulator | undefined;
  readonly #maxRegroups: number;
  #regroups = 0;
  #commit: Commit | undefined;
  /** The batch of the update being applied (its data position, for the commit). */
  #inFlight: { resumeState: TrainBatch['resumeState']; batchInEpoch: number } | undefined;
  #step = 0;
  #epoch = 0;
  #batchInEpoch = 0;
  #epochCounts = [0, 0, 0]; // [lossSum, correct, count] over all ranks
  #pendingWeight = 0;
  #stop: { reason: string; earlyStop?: EarlyStopDetails | undefined } | undefined;
  #resumed = false;
  #lastEval: EvalResult | undefined;
  #samplerState: TrainBatch['resumeState'] | undefined;

  constructor(options: TrainerOptions) {
    this.model = options.model;
    this.optimizer = options.optimizer;
    this.strategy = options.strategy ?? singleProcessStrategy();
    this.callbacks = [...(options.callbacks ?? [])];
    this.train = options.train;
    this.validation = options.validation;
    this.epochs = options.epochs ?? 1;
    this.maxSteps = options.maxSteps ?? Infinity;
    this.evalEvery = options.evalEvery ?? 1;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    this.#maxRegroups = options.maxRegroups ?? 100;
    this.rng = Rng.stream(options.seed ?? 0, { purpose: 'trainer', rank: this.strategy.rank });
    checkOptions(this);
    const optim = parseOptimConfig({ ...(options.optim ?? {}) }, `${OP} optim`);
    const s = optim.schedule as { name: string; totalIters?: number };
    if (!(s.name === 'constant' && !s.totalIters)) {
      this.#schedule = { schedule: createSchedule(optim.schedule), interval: optim.scheduleInterval };
    }
    const { l1, l2, params } = optim.regularization;
    if (l1 > 0 || l2 > 0) {
      // A pattern that names no parameter is a typo, not "no penalty": say so, with real names.
      const names = Object.keys(this.model.variables);
      const unmatched = params.filter((p) => matchParams(names, [p]).length === 0);
      if (unmatched.length) {
        throw new ConfigError({
          op: OP,
          expected: 'every optim.regularization.params pattern to match at least one parameter',
          received: `${unmatched.map((p) => JSON.stringify(p)).join(', ')} matched none`,
          where: 'field optim.regularization.params',
          hint: `parameters are named like ${names.slice(0, 4).map((n) => JSON.stringify(n)).join(', ')}${names.length > 4 ? `, ... (${names.length})` : ''}; globs: * any run of characters, ? one`,
        });
      }
      this.#penalty = { l1, l2, params };
    }
    if (optim.accumulationSteps > 1) this.#accumulator = new GradientAccumulator(optim.accumulationSteps);
  }

  /** Optimizer steps completed. */
  get step(): number {
    return this.#step;
  }

  /** The current epoch, from 0 (the next one once an epoch ended). */
  get epoch(): number {
    return this.#epoch;
  }

  /** The latest evaluation, if any. */
  get lastEval(): EvalResult | undefined {
    return this.#lastEval;
  }

  /** Whether a callback asked to stop. */
  get stopRequested(): boolean {
    return this.#stop !== undefined;
  }

  /**
   * Asks the loop to stop after the current batch (callbacks call it; early stopping passes its details).
   * @param reason Why, for logs and the run-end event.
   * @param earlyStop Early stopping's details. Default: none.
   */
  async stop(reason: string, earlyStop?: EarlyStopDetails): Promise<void> {
    if (this.#stop) return;
    this.#stop = { reason, earlyStop };
    await this.#dispatch('onStop', { ...this.#info(), reason, earlyStop });
  }

  /** Tells every callback that a checkpoint was written (modelCheckpoint calls it). */
  async announceCheckpoint(info: { path: string; bytes: number; monitor?: { name: string; value: number } | undefined; best: boolean }): Promise<void> {
    await this.#dispatch('onCheckpoint', { ...this.#info(), ...info });
  }

  /**
   * Trains for the configured epochs (or until `maxSteps`, or a callback's `stop`), evaluating every
   * `evalEvery` epochs. `strategy.teardown` always runs.
   *
   * With an elastic strategy (one with `regroup`), `regroup({ reason: 'start' })` replaces `setup`;
   * a DistributedError of a step, an evaluation or a hook makes the group re-form (`failure`), and so
   * does a step that agreed on waiting joiners (`join`): every member then continues from the most
   * advanced member's commit (weights and optimizer state need no rollback: the commit, the step
   * boundary they belong to, moves only when an update is applied), with its batch sources resharded
   * for its new rank and world size. Up to `maxRegroups` times.
   * @returns The per-epoch metrics.
   * @throws The first error of a step or hook, of the same class, naming the step and epoch.
   */
  async fit(): Promise<History> {
    try {
      requireGradients(`${OP}.fit`);
      this.#commitHere();
      if (this.strategy.regroup) await this.#regroup('start');
      else await this.strategy.setup(this.#strategyContext());
      await this.#dispatch('onTrainBegin', { ...this.#info(), resumed: this.#resumed });
      while (this.#epoch < this.epochs && this.#step < this.maxSteps && !this.#stop) {
        try {
          await this.#runEpoch();
        } catch (error) {
          // Elastic strategies: the group re-forms between steps and training goes on from the commit.
          if (error instanceof JoinPending) await this.#regroup('join');
          else if (this.strategy.regroup && error instanceof DistributedError) await this.#regroup('failure', error);
          else throw error;
        }
      }
      const status = this.#stop ? 'stopped' : 'completed';
      await this.#dispatch('onTrainEnd', { ...this.#info(), history: this.history, status, stopReason: this.#stop?.reason });
      return this.history;
    } catch (error) {
      const wrapped = withPlace(error, `step ${this.#step}, epoch ${this.#epoch}`, `${OP}.fit`);
      for (const cb of this.callbacks) {
        await Promise.resolve(cb.onError?.({ ...this.#info(), error: wrapped })).catch(() => undefined);
      }
      throw wrapped;
    } finally {
      await this.strategy.teardown();
    }
  }

  /**
   * Evaluates the model on `source` (training off), reduced over ranks.
   * @returns loss, accuracy, confusion matrix, per-class and macro F1, count.
   */
  async evaluate(source: EvalSource): Promise<EvalResult> {
    return evaluateModel(this.model, source, this.strategy, this.labelSmoothing);
  }

  /**
   * Runs the model (training off) over `batches` and returns one prediction per sample; each batch's
   * tensors are disposed.
   */
  async predict(batches: AsyncIterable<Batch> | Iterable<Batch>): Promise<Prediction[]> {
    const out: Prediction[] = [];
    for await (const batch of batches) {
      try {
        const probs = tf.tidy(() => tf.softmax(this.model.forward(batch, { training: false })));
        const rows = (await probs.array()) as number[][];
        probs.dispose();
        rows.forEach((p, i) => out.push({ id: batch.ids?.[i], predicted: argMax(p), probabilities: p }));
      } finally {
        disposeBatch(batch);
      }
    }
    return out;
  }

  /**
   * The full state a checkpoint holds (copies of weights and optimizer slots: dispose with
   * `disposeCheckpoint`), taken between batches.
   */
  checkpointState(): CheckpointState {
    const weights = tf.tidy(() => Object.fromEntries(Object.entries(this.model.variables).map(([n, v]) => [n, tf.clone(v)])));
    const { tensors, meta } = this.optimizer.exportState();
    const callbacks = Object.fromEntries(this.callbacks.filter((c) => c.getState).map((c) => [c.name, c.getState!()]));
    const callbackTensors = Object.fromEntries(
      this.callbacks.flatMap((c) => {
        const tensors = c.getTensors?.();
        return tensors && Object.keys(tensors).length ? [[c.name, tensors]] : [];
      }),
    );
    return {
      step: this.#step,
      epoch: this.#epoch,
      batchInEpoch: this.#batchInEpoch,
      optimizer: meta,
      optimizerTensors: tensors,
      weights,
      schedule: this.#schedule && { config: this.#schedule.schedule.getConfig(), interval: this.#schedule.interval },
      rng: this.rng.getState(),
      sampler: this.#samplerState ?? this.train.getState(),
      metrics: this.history.last(),
      epochCounts: [...this.#epochCounts],
      callbacks,
      callbackTensors,
      history: this.history.epochs.map((e) => ({ ...e })),
      model: this.model.getConfig(),
    };
  }

  /** The full state at the last commit: {@link Trainer.checkpointState} with the commit's counters. */
  #commitState(): CheckpointState {
    const c = this.#commit!;
    const state = this.checkpointState();
    return {
      ...state,
      step: c.step,
      epoch: c.epoch,
      batchInEpoch: c.batchInEpoch,
      rng: c.rng,
      sampler: c.sampler ?? state.sampler,
      epochCounts: [...c.epochCounts],
      callbacks: c.callbacks,
      history: c.history.map((e) => ({ ...e, logs: { ...e.logs } })),
    };
  }

  /** Moves the commit to the current counters (a step boundary); kept only for elastic strategies. */
  #commitHere(): void {
    if (!this.strategy.regroup) return;
    this.#commit = {
      step: this.#step,
      epoch: this.#epoch,
      batchInEpoch: this.#batchInEpoch,
      sampler: this.#samplerState,
      epochCounts: [...this.#epochCounts],
      rng: this.rng.getState(),
      history: this.history.epochs.map((e) => ({ ...e, logs: { ...e.logs } })),
      callbacks: Object.fromEntries(this.callbacks.filter((c) => c.getState).map((c) => [c.name, c.getState!()])),
    };
  }

  /**
   * Re-forms the group through `strategy.regroup` and continues from the source's commit (or this
   * rank's own, when it is the source), with the batch sources resharded for the new place.
   */
  async #regroup(reason: RegroupRequest['reason'], error?: unknown): Promise<void> {
    if (reason !== 'start' && ++this.#regroups > this.#maxRegroups) {
      throw new DistributedError({
        op: `${OP}.fit`,
        expected: `at most ${this.#maxRegroups} regroups of the elastic group (maxRegroups)`,
        received: `regroup ${this.#regroups} (${reason})${error ? `: ${(error as Error).message}` : ''}`,
        where: `step ${this.#step}, epoch ${this.#epoch}`,
        hint: 'a worker keeps failing or joining: read its [rank N] lines; raise maxRegroups only if the group is expected to change that often',
        cause: error,
      });
    }
    this.#accumulator?.reset(); // micro-batches of an update that was not applied are trained again
    this.#inFlight = undefined;
    const adopted = await this.strategy.regroup!({
      reason,
      ...(error === undefined ? {} : { error }),
      appliedSteps: this.#commit!.step,
      context: this.#strategyContext(),
      state: () => this.#commitState(),
    });
    this.train.reshard?.(this.strategy.rank, this.strategy.worldSize);
    this.validation?.reshard?.(this.strategy.rank, this.strategy.worldSize);
    const resumed = this.#resumed;
    const state = adopted ?? (reason === 'start' ? undefined : this.#commitState());
    if (state) {
      try {
        await this.resumeFrom(state);
      } finally {
        disposeCheckpoint(state);
      }
    }
    if (reason === 'start' && !adopted) this.#resumed = resumed;
    this.#commitHere();
    const info: RegroupInfo = {
      ...this.#info(),
      reason,
      generation: this.strategy.generation ?? 0,
      rank: this.strategy.rank,
      worldSize: this.strategy.worldSize,
      rolledBackToStep: this.#step,
      source: adopted === undefined,
      ...(error === undefined ? {} : { error }),
    };
    await this.#dispatch('onRegroup', info);
  }

  /**
   * Continues from a checkpoint (a state or a file path): weights, optimizer state, RNG, the
   * BatchSource position, step/epoch counters, history and callback states, so the run goes on
   * exactly as if never interrupted. Call before {@link Trainer.fit}.
   * @throws CheckpointError when the checkpoint does not fit the model or optimizer.
   */
  async resumeFrom(checkpoint: CheckpointState | string): Promise<void> {
    const state = typeof checkpoint === 'string' ? await loadCheckpoint(checkpoint) : checkpoint;
    try {
      const where = typeof checkpoint === 'string' ? `file ${checkpoint}` : 'checkpoint state';
      const vars = this.model.variables;
      const missing = Object.keys(vars).filter((n) => !state.weights[n]);
      const bad = Object.entries(vars).filter(([n, v]) => state.weights[n] && !tf.util.arraysEqual(v.shape, state.weights[n]!.shape));
      if (missing.length > 0 || bad.length > 0) {
        throw new ConfigError({
          op: `${OP}.resumeFrom`,
          expected: `weights for every variable of model "${this.model.name}" with its shape`,
          received: [missing.length ? `missing ${missing.slice(0, 5).join(', ')}` : '', ...bad.slice(0, 5).map(([n, v]) => `${n} [${state.weights[n]!.shape}] vs [${v.shape}]`)].filter(Boolean).join('; '),
          where,
          hint: 'resume with the model config saved in the checkpoint; for fine-tuning use loadPartialWeights',
        });
      }
      for (const [n, v] of Object.entries(vars)) v.assign(state.weights[n]!);
      this.optimizer.importState({ tensors: state.optimizerTensors, meta: state.optimizer });
      this.rng = Rng.fromState(state.rng);
      this.train.setState(state.sampler);
      this.#samplerState = state.sampler;
      this.#step = state.step;
      this.#epoch = state.epoch;
      this.#batchInEpoch = state.batchInEpoch;
      this.#epochCounts = [...state.epochCounts];
      // A partial epoch (maxSteps, stop) is trained again from where it stopped: drop its entry.
      this.history.epochs.splice(0, this.history.epochs.length, ...state.history.filter((e) => e.epoch < state.epoch));
      for (const cb of this.callbacks) {
        if (cb.setState && state.callbacks[cb.name] !== undefined) cb.setState(state.callbacks[cb.name]);
        const tensors = state.callbackTensors?.[cb.name];
        if (cb.setTensors && tensors) cb.setTensors(tensors);
      }
      this.#resumed = true;
    } finally {
      if (typeof checkpoint === 'string') disposeCheckpoint(state);
    }
  }

  async #runEpoch(): Promise<void> {
    const epoch = this.#epoch;
    await this.#dispatch('onEpochBegin', this.#info());
    if (this.#schedule?.interval === 'epoch') applySchedule(this.optimizer, this.#schedule.schedule, epoch);
    // Resumed from a checkpoint taken after the epoch's last batch: only its end remains.
    let finished = (this.#samplerState?.epoch ?? epoch) > epoch;
    if (!finished) finished = await this.#trainBatches(epoch);
    if (this.#accumulator && this.#accumulator.count > 0) await this.#optimizerStep(); // a short last group
    const [lossSum, correct, count] = this.#epochCounts as [number, number, number];
    const logs: Record<string, number> = { loss: lossSum / count, accuracy: correct / count, lr: this.optimizer.groups[0]?.lr ?? NaN };
    const last = finished && epoch + 1 >= this.epochs;
    if (this.validation && this.evalEvery > 0 && ((epoch + 1) % this.evalEvery === 0 || last || !finished)) {
      const result = await this.evaluate(this.validation);
      this.#lastEval = result;
      Object.assign(logs, { val_loss: result.loss, val_accuracy: result.accuracy, val_f1_macro: result.f1Macro, val_roc_auc: result.rocAucMacro });
      await this.#dispatch('onEvalEnd', { ...this.#info(), split: 'val', result });
    }
    if (finished) {
      this.#epoch += 1;
      this.#batchInEpoch = 0;
      this.#epochCounts = [0, 0, 0];
    }
    this.history.push({ epoch, step: this.#step, logs });
    if (finished) this.#commitHere();
    await this.#dispatch('onEpochEnd', { ...this.#info(), epoch, logs });
  }

  /** Trains this epoch's batches until the source ends (returns true) or a cap or stop request. */
  async #trainBatches(epoch: number): Promise<boolean> {
    const iterator = this.train.epoch()[Symbol.asyncIterator]();
    let ended = false;
    try {
      while (!this.#stop && this.#step < this.maxSteps) {
        const t0 = performance.now();
        const next = await iterator.next();
        if (next.done) {
          ended = true;
          return true;
        }
        await this.#trainBatch(next.value, t0);
        if (this.strategy.regroupPending) throw new JoinPending('workers wait to join');
      }
    } finally {
      // A cap, a stop, or an error: the batches prepared ahead are released.
      if (!ended) await iterator.return?.()?.catch(() => undefined);
    }
    return (this.#samplerState?.epoch ?? epoch) > epoch; // the cap fell on the epoch's last batch
  }

  async #trainBatch(batch: TrainBatch, t0: number): Promise<void> {
    const tCompute = performance.now();
    // One exchange per step when the strategy can: gradients weighted by this rank's share through the
    // loss (free), the metric counts in the same collective call.
    const fused = !this.#accumulator && this.strategy.reduceStep !== undefined;
    let stats: [number, number];
    let grads: NamedGradients;
    try {
      ({ stats, grads } = this.#computeGradients(batch, fused ? batch.weight : 1));
    } finally {
      disposeBatch(batch);
    }
    const stepIndex = this.#step;
    const lr = this.optimizer.groups.map((g) => (this.#schedule?.interval === 'step' ? this.#schedule.schedule.lr(stepIndex, g.initialLr) : g.lr));
    if (this.#accumulator) {
      this.#accumulator.add(grads, batch.size); // summing micro-batch gradients counts as compute
      tf.dispose(Object.values(grads));
      this.#pendingWeight += batch.weight;
    } else {
      this.#pendingWeight = batch.weight;
    }
    const numbers = [stats[0] * batch.size, stats[1], batch.size];
    this.#inFlight = { resumeState: batch.resumeState, batchInEpoch: this.#batchInEpoch + 1 };
    const tGrads = performance.now();
    let marks: StepMarks | undefined;
    if (!this.#accumulator) marks = await this.#applyStep(grads, 1, fused ? numbers : undefined);
    else if (this.#accumulator.ready) marks = await this.#optimizerStep();
    const stepped = marks !== undefined;
    this.#batchInEpoch += 1;
    this.#samplerState = batch.resumeState;
    const [lossSum, correct, count] = (marks?.numbers ?? (await this.strategy.reduceNumbers(numbers, 'sum'))) as [number, number, number];
    const tEnd = performance.now();
    this.#epochCounts = [this.#epochCounts[0]! + lossSum, this.#epochCounts[1]! + correct, this.#epochCounts[2]! + count];
    if (stepped) this.#commitHere();
    // The parts are consecutive clock intervals that tile the step: strategy calls (gradient
    // reduction with or without the metric counts, replica check, separate metric reduction) are
    // all-reduce time with other ranks; on one process they are no-ops and their microseconds go
    // with the optimizer, so all-reduce is exactly 0 there.
    const strategyMs = marks ? marks.reduced - tGrads + (tEnd - marks.applied) : tEnd - tGrads;
    const updateMs = marks ? marks.applied - marks.reduced : 0;
    const shared = this.strategy.worldSize > 1;
    const timings: StepTimings = {
      dataMs: tCompute - t0,
      computeMs: tGrads - tCompute,
      allReduceMs: shared ? strategyMs : 0,
      optimizerMs: shared ? updateMs : updateMs + strategyMs,
      totalMs: tEnd - t0,
    };
    await this.#dispatch('onBatchEnd', {
      ...this.#info(),
      step: stepIndex,
      batch: this.#batchInEpoch - 1,
      batchesPerEpoch: this.train.batchesPerEpoch(),
      stepped,
      loss: lossSum / count,
      accuracy: correct / count,
      samples: count,
      lr,
      timings,
    });
  }

  /**
   * Loss, correct count and gradients (by checkpoint name) of one batch; the gradients are of
   * `scale` x the objective (a rank's share of the global batch for `strategy.reduceStep`), the
   * reported loss is unscaled.
   */
  #computeGradients(batch: TrainBatch, scale: number): { stats: [number, number]; grads: NamedGradients } {
    const entries = Object.entries(this.model.variables).filter(([, v]) => v.trainable);
    if (entries.length === 0) {
      throw new ConfigError({ op: `${OP}.fit`, expected: 'at least one trainable variable', received: 'every variable frozen', hint: 'unfreeze some variables (unfreeze(model.variables, patterns))' });
    }
    if (batch.size === 0) {
      // A rank with no sample of this global batch still joins the reduction, with zero weight.
      return { stats: [0, 0], grads: Object.fromEntries(entries.map(([n, v]) => [n, tf.zerosLike(v)])) };
    }
    const byTfName = new Map(entries.map(([n, v]) => [v.name, n]));
    const penalized = this.#penalty ? matchParams(entries.map(([n]) => n), this.#penalty.params) : [];
    let kept: tf.Tensor[] = [];
    const { grads } = tf.variableGrads(() => {
      const logits = this.model.forward(batch, { training: true }); // [batch, classes]
      const loss = softmaxCrossEntropy(logits, batch.labels, { labelSmoothing: this.labelSmoothing });
      const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(batch.labels, 'int32')), 'float32'));
      kept = [tf.keep(loss), tf.keep(correct)];
      let objective = loss;
      if (this.#penalty && penalized.length > 0) objective = tf.add(loss, l1l2Penalty(penalized.map((n) => this.model.variables[n]!), this.#penalty));
      return scale === 1 ? objective : tf.mul(objective, scale);
    }, entries.map(([, v]) => v));
    const [loss, correct] = [kept[0]!.dataSync()[0]!, kept[1]!.dataSync()[0]!];
    tf.dispose(kept);
    const named = Object.fromEntries(Object.entries(grads).map(([tfName, g]) => [byTfName.get(tfName)!, g]));
    return { stats: [loss, correct], grads: named };
  }

  /** Takes the accumulated mean gradient and applies it. */
  async #optimizerStep(): Promise<StepMarks> {
    const count = this.#accumulator!.count;
    const mean = this.#accumulator!.take();
    return this.#applyStep(mean, count);
  }

  /**
   * Reduces `grads` (owned) over ranks, applies them and runs `strategy.afterStep`; returns when each
   * phase ended. With `numbers`, `grads` are already weighted and go through `strategy.reduceStep`
   * together with them.
   */
  async #applyStep(grads: NamedGradients, microBatches: number, numbers?: number[]): Promise<StepMarks> {
    const step = this.#step;
    const weight = this.#pendingWeight / microBatches;
    this.#pendingWeight = 0;
    let reduced: NamedGradients;
    let sums: number[] | undefined;
    if (numbers) ({ grads: reduced, numbers: sums } = await this.strategy.reduceStep!(grads, numbers, { step, weight }));
    else reduced = await this.strategy.reduceGradients(grads, { step, weight });
    const tReduced = performance.now();
    try {
      if (this.#schedule?.interval === 'step') applySchedule(this.optimizer, this.#schedule.schedule, step);
      this.optimizer.applyGradients(reduced);
    } finally {
      tf.dispose(Object.values(reduced));
    }
    this.#step += 1;
    // The update is in the variables: the commit moves to its batch now (its metric sums follow at
    // the step's end; an error before that loses them from the epoch's train metrics only).
    if (this.#inFlight && this.#commit) {
      this.#commit = { ...this.#commit, step: this.#step, epoch: this.#epoch, batchInEpoch: this.#inFlight.batchInEpoch, sampler: this.#inFlight.resumeState, rng: this.rng.getState() };
      this.#inFlight = undefined;
    }
    const tApplied = performance.now();
    await this.strategy.afterStep(this.#strategyContext(), step);
    return { reduced: tReduced, applied: tApplied, numbers: sums };
  }

  #strategyContext(): StrategyContext {
    return { variables: this.model.variables, optimizer: this.optimizer };
  }

  #info(): HookInfo {
    return { trainer: this, step: this.#step, epoch: this.#epoch };
  }

  async #dispatch<K extends HookName>(hook: K, info: Parameters<NonNullable<Callback[K]>>[0]): Promise<void> {
    for (const cb of this.callbacks) {
      const fn = cb[hook] as ((i: typeof info) => void | Promise<void>) | undefined;
      if (fn) await fn.call(cb, info);
    }
  }
}

type HookName = 'onTrainBegin' | 'onEpochBegin' | 'onBatchEnd' | 'onEvalEnd' | 'onEpochEnd' | 'onTrainEnd' | 'onCheckpoint' | 'onStop' | 'onRegroup';

function checkOptions(t: Trainer): void {
  const problems = [
    Number.isInteger(t.epochs) && t.epochs >= 1 ? '' : `epochs ${t.epochs} (expected an integer >= 1)`,
    t.maxSteps === Infinity || (Number.isInteger(t.maxSteps) && t.maxSteps >= 1) ? '' : `maxSteps ${t.maxSteps} (expected an integer >= 1)`,
    Number.isInteger(t.evalEvery) && t.evalEvery >= 0 ? '' : `evalEvery ${t.evalEvery} (expected an integer >= 0)`,
    t.labelSmoothing >= 0 && t.labelSmoothing < 1 ? '' : `labelSmoothing ${t.labelSmoothing} (expected 0 <= x < 1)`,
    new Set(t.callbacks.map((c) => c.name)).size === t.callbacks.length ? '' : `callback names ${t.callbacks.map((c) => c.name).join(', ')} (expected unique)`,
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new ConfigError({ op: OP, expected: 'valid trainer options', received: problems.join('; ') });
  }
}

function argMax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

