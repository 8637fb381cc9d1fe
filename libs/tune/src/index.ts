/**
 * @omnitrain/tune: the public door. Hyperparameter and architecture search: search spaces,
 * grid / random / TPE samplers, successive-halving (ASHA) and median pruners, and studies that
 * record every trial as `trial` events.
 */
export { searchSpaceSchema, paramSpecSchema, inSpace } from './search-space.js';
export type { SearchSpace, ParamSpec, Params } from './search-space.js';
export { loadSearchSpace, parseSearchSpace } from './load-search-space.js';
export { paramsToOverrides } from './params-to-overrides.js';
export { isBetter } from './trial-record.js';
export type { TrialRecord, TrialState, Direction } from './trial-record.js';
export type { Sampler, SampleContext } from './sampler.js';
export { randomSampler, sampleParam } from './random-sampler.js';
export { gridSampler, gridPoints, gridValues } from './grid-sampler.js';
export type { GridSamplerOptions } from './grid-sampler.js';
export { tpeSampler } from './tpe-sampler.js';
export type { TpeSamplerOptions } from './tpe-sampler.js';
export { samplers, createSampler } from './create-sampler.js';
export type { SamplerOptions } from './create-sampler.js';
export type { Pruner, PruneContext } from './pruner.js';
export { successiveHalvingPruner, rungSteps } from './successive-halving-pruner.js';
export type { SuccessiveHalvingOptions } from './successive-halving-pruner.js';
export { medianPruner } from './median-pruner.js';
export type { MedianPrunerOptions } from './median-pruner.js';
export { pruners, createPruner } from './create-pruner.js';
export { Study, TrialPrunedError } from './study.js';
export type { StudyOptions, OptimizeOptions, Objective, TrialHandle, TrialEventDraft } from './study.js';
export { trialsFromEvents } from './trials-from-events.js';
export { formatTrialTable } from './format-trial-table.js';
