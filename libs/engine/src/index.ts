// The public door of @omnitrain/engine: everything other libs and users may import.
import './callbacks/register-callbacks.js';

// --- contracts ---
export type { Strategy, StrategyContext, ReduceInfo, ReduceOp, RegroupRequest } from './strategy/strategy.js';
export type { Batch, TrainableModel } from './model/trainable-model.js';
export type { TrainBatch, BatchSource, EvalSource } from './data/batch-source.js';

// --- strategies ---
export { singleProcessStrategy } from './strategy/single-process-strategy.js';

// --- the trainer ---
export { Trainer } from './trainer/trainer.js';
export type { TrainerOptions, Prediction } from './trainer/trainer.js';
export { History } from './trainer/history.js';
export type { EpochLogs, HistoryEntry } from './trainer/history.js';
export type { StepTimings } from './trainer/step-timings.js';
export { softmaxCrossEntropy } from './trainer/softmax-cross-entropy.js';
export type { SoftmaxCrossEntropyOptions } from './trainer/softmax-cross-entropy.js';
export { evaluateModel, disposeBatch } from './trainer/evaluate-model.js';
export { requireGradients } from './trainer/require-gradients.js';
export type { EvalResult } from './trainer/evaluate-model.js';

// --- callbacks ---
export type {
  Callback,
  HookInfo,
  TrainBeginInfo,
  BatchEndInfo,
  EvalEndInfo,
  EpochEndInfo,
  TrainEndInfo,
  ErrorInfo,
  CheckpointInfo,
  StopInfo,
  EarlyStopDetails,
  RegroupInfo,
} from './callbacks/callback.js';
export { callbackTypes, createCallback, registerCallbackType } from './callbacks/callback-types.js';
export type { CallbackType, CallbackContext } from './callbacks/callback-types.js';
export { callbacksFromConfig } from './callbacks/callbacks-from-config.js';
export { earlyStopping } from './callbacks/early-stopping.js';
export { modelCheckpoint, modelCheckpointConfigSchema } from './callbacks/model-checkpoint.js';
export type { ModelCheckpointOptions } from './callbacks/model-checkpoint.js';
export { lrMonitor, lrMonitorConfigSchema } from './callbacks/lr-monitor.js';
export type { LrMonitorOptions, LrRecord } from './callbacks/lr-monitor.js';
export { reduceLrOnPlateau, reduceLrOnPlateauCallbackSchema } from './callbacks/reduce-lr-on-plateau.js';
export type { ReduceLrOnPlateauCallbackOptions } from './callbacks/reduce-lr-on-plateau.js';
export { telemetryCallback, telemetryCallbackConfigSchema } from './callbacks/telemetry-callback.js';
export type { TelemetryCallbackOptions } from './callbacks/telemetry-callback.js';
export { gradualUnfreezing, gradualUnfreezingConfigSchema } from './callbacks/gradual-unfreezing.js';
export type { GradualUnfreezingOptions } from './callbacks/gradual-unfreezing.js';
export { progressCallback, progressCallbackConfigSchema } from './callbacks/progress-callback.js';
export type { ProgressUpdate, ProgressCallbackOptions } from './callbacks/progress-callback.js';

// --- checkpoints ---
export { CHECKPOINT_METADATA_KEY, CHECKPOINT_FORMAT } from './checkpoint/checkpoint-state.js';
export type { CheckpointState, CheckpointMeta } from './checkpoint/checkpoint-state.js';
export { checkpointFileName, CHECKPOINT_FILE_PATTERN } from './checkpoint/checkpoint-file-name.js';
export { saveCheckpoint } from './checkpoint/save-checkpoint.js';
export type { SaveCheckpointOptions, SavedCheckpoint } from './checkpoint/save-checkpoint.js';
export { loadCheckpoint, disposeCheckpoint } from './checkpoint/load-checkpoint.js';
export { encodeCheckpoint } from './checkpoint/encode-checkpoint.js';
export { decodeCheckpoint } from './checkpoint/decode-checkpoint.js';
export { latestCheckpoint } from './checkpoint/latest-checkpoint.js';
export type { LatestCheckpointOptions } from './checkpoint/latest-checkpoint.js';
export { resumeTrainer } from './checkpoint/resume-trainer.js';

// --- transfer learning ---
export { loadPartialWeights } from './transfer/load-partial-weights.js';
export type { LoadPartialWeightsOptions, RenameRule, TransferReport } from './transfer/load-partial-weights.js';
export { formatTransferReport } from './transfer/format-transfer-report.js';
export { freeze, unfreeze } from './transfer/freeze.js';

// --- metrics (mergeable across ranks) ---
export type { Mergeable } from './metrics/mergeable.js';
export { reduceMetrics } from './metrics/mergeable.js';
export { MeanMetric } from './metrics/mean-metric.js';
export { topKCorrect, accuracy, topKAccuracy } from './metrics/top-k-correct.js';
export { ConfusionMatrix } from './metrics/confusion-matrix.js';
export { precisionRecallF1, macroF1 } from './metrics/precision-recall-f1.js';
export { RocAuc } from './metrics/roc-auc.js';
export type { RocAucOptions } from './metrics/roc-auc.js';
export type { ClassScores } from './metrics/precision-recall-f1.js';

// --- config ---
export {
  trainConfigSchema,
  parseTrainConfig,
  checkpointConfigSchema,
  earlyStoppingConfigSchema,
  callbackEntrySchema,
} from './config/train-config.js';
export type { TrainConfig, TrainConfigInput, CheckpointConfig, EarlyStoppingConfig } from './config/train-config.js';
