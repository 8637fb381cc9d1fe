// The public door of @omnitrain/optim: everything other libs and users may import.
import './optimizers/register-optimizers.js';
import './schedules/register-schedules.js';

// --- optimizers ---
export type {
  Optimizer,
  OptimizerState,
  OptimizerStateMeta,
  ParamGroup,
  NamedConfig,
  NamedGradients,
  NamedVariables,
} from './optimizers/optimizer.js';
export type { UpdateRule, UpdateContext, UpdateResult } from './optimizers/update-rule.js';
export { GradientOptimizer } from './optimizers/gradient-optimizer.js';
export { optimizerSchema } from './optimizers/optimizer-schema.js';
export type { BaseOptimizerConfig, CommonDefaults, GroupOptions } from './optimizers/optimizer-schema.js';
export { sgd, sgdConfigSchema } from './optimizers/sgd.js';
export type { SgdConfig, SgdOptions } from './optimizers/sgd.js';
export { adagrad, adagradConfigSchema } from './optimizers/adagrad.js';
export type { AdagradConfig, AdagradOptions } from './optimizers/adagrad.js';
export { rmsprop, rmspropConfigSchema } from './optimizers/rmsprop.js';
export type { RmspropConfig, RmspropOptions } from './optimizers/rmsprop.js';
export { adam, adamConfigSchema } from './optimizers/adam.js';
export type { AdamConfig, AdamOptions } from './optimizers/adam.js';
export { adamw, adamwConfigSchema } from './optimizers/adamw.js';
export { FUSED_ADAM_KERNEL } from './optimizers/fused-adam-update.js';
export type { AdamwConfig, AdamwOptions } from './optimizers/adamw.js';
export { optimizers } from './optimizers/optimizers.js';
export type { OptimizerFactory } from './optimizers/optimizers.js';
export { createOptimizer } from './optimizers/create-optimizer.js';
export { optimizerConfigSchema } from './optimizers/optimizer-config.js';
export type { OptimizerConfig, OptimizerConfigInput } from './optimizers/optimizer-config.js';
export { matchParams } from './params/param-pattern.js';
export { assignParamGroups } from './params/assign-param-groups.js';
export type { AssignedGroup, GroupSpec } from './params/assign-param-groups.js';

// --- optimizer state in checkpoints ---
export { saveOptimizerState, OPTIMIZER_STATE_KEY } from './state/save-optimizer-state.js';
export { loadOptimizerState } from './state/load-optimizer-state.js';

// --- learning-rate schedules ---
export type { LrSchedule } from './schedules/lr-schedule.js';
export { makeSchedule } from './schedules/lr-schedule.js';
export { constantLr } from './schedules/constant-lr.js';
export type { ConstantLrOptions } from './schedules/constant-lr.js';
export { stepLr } from './schedules/step-lr.js';
export type { StepLrOptions } from './schedules/step-lr.js';
export { multiStepLr } from './schedules/multi-step-lr.js';
export type { MultiStepLrOptions } from './schedules/multi-step-lr.js';
export { exponentialLr } from './schedules/exponential-lr.js';
export type { ExponentialLrOptions } from './schedules/exponential-lr.js';
export { cosineAnnealingLr } from './schedules/cosine-annealing-lr.js';
export type { CosineAnnealingLrOptions } from './schedules/cosine-annealing-lr.js';
export { cosineWarmRestartsLr } from './schedules/cosine-warm-restarts-lr.js';
export type { CosineWarmRestartsLrOptions } from './schedules/cosine-warm-restarts-lr.js';
export { linearWarmup } from './schedules/linear-warmup.js';
export type { LinearWarmupOptions } from './schedules/linear-warmup.js';
export { oneCycleLr } from './schedules/one-cycle-lr.js';
export type { OneCycleLrOptions } from './schedules/one-cycle-lr.js';
export { schedules } from './schedules/schedules.js';
export type { ScheduleFactory } from './schedules/schedules.js';
export { createSchedule } from './schedules/create-schedule.js';
export { scheduleConfigSchema } from './schedules/schedule-config.js';
export type { ScheduleConfig, ScheduleConfigInput } from './schedules/schedule-config.js';
export { applySchedule } from './schedules/apply-schedule.js';
export { ReduceLrOnPlateau, reduceLrOnPlateauSchema } from './schedules/reduce-lr-on-plateau.js';
export type {
  ReduceLrOnPlateauConfig,
  ReduceLrOnPlateauOptions,
  ReduceLrOnPlateauState,
} from './schedules/reduce-lr-on-plateau.js';

// --- regularization, clipping, accumulation ---
export { l1l2Penalty } from './regularization/l1-l2-penalty.js';
export type { L1L2Options } from './regularization/l1-l2-penalty.js';
export { clipGradNorm } from './regularization/clip-grad-norm.js';
export type { ClippedGradients } from './regularization/clip-grad-norm.js';
export { clipGradValue } from './regularization/clip-grad-value.js';
export { GradientAccumulator } from './regularization/gradient-accumulator.js';
export type { GradientAccumulatorState } from './regularization/gradient-accumulator.js';

// --- the optim section of a run config ---
export { optimConfigSchema, parseOptimConfig } from './config/optim-config.js';
export type { OptimConfig, OptimConfigInput } from './config/optim-config.js';
