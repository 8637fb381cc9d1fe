// The public door of @omnitrain/data: everything other libs and users may import.
import './clean/register-validators.js';
import './features/register-feature-transforms.js';

// --- manifests and class folders ---
export { readManifest, parseManifest } from './manifest/read-manifest.js';
export type { ManifestOptions } from './manifest/read-manifest.js';
export { parseCsv } from './manifest/parse-csv.js';
export type { CsvRecord } from './manifest/parse-csv.js';
export { readClassFolders, DEFAULT_EXTENSIONS } from './manifest/read-class-folders.js';
export type { ClassFolderOptions } from './manifest/read-class-folders.js';
export { sampleWhere } from './manifest/sample.js';
export type { Sample, SampleSource, Dataset, Modality } from './manifest/sample.js';
export { sortClassNames } from './manifest/sort-class-names.js';

// --- configuration ---
export { DataConfigSchema, parseDataConfig } from './config/data-config.js';
export type { DataConfig, DataConfigInput } from './config/data-config.js';
export { loadDataset } from './load-dataset.js';
export type { LoadedDataset } from './load-dataset.js';

// --- cleaning ---
export { cleanSamples } from './clean/clean-samples.js';
export type { CleaningOptions, CleaningReport, CleaningSummary, DroppedRow } from './clean/clean-samples.js';
export { formatCleaningReport } from './clean/format-cleaning-report.js';
export type { FormatCleaningOptions } from './clean/format-cleaning-report.js';
export { sampleValidators } from './clean/sample-validator.js';
export type { SampleValidator, SampleProblem, ValidationContext } from './clean/sample-validator.js';
export { hashFile, normalizeText, sampleContentKey } from './clean/content-key.js';

// --- splits, shuffles, shards, the resumable sampler ---
export { splitSamples, DEFAULT_SPLIT_RATIOS } from './split/split-samples.js';
export type { SplitOptions } from './split/split-samples.js';
export { epochPermutation } from './sampler/epoch-permutation.js';
export { shard, shardRange } from './sampler/shard.js';
export type { ShardRange } from './sampler/shard.js';
export { EpochSampler } from './sampler/epoch-sampler.js';
export type { EpochSamplerOptions, RankBatch, SamplerState } from './sampler/epoch-sampler.js';

// --- collation and prefetching ---
export { padSequences } from './collate/pad-sequences.js';
export type { PadOptions, PaddedBatch } from './collate/pad-sequences.js';
export { prefetch } from './pipeline/prefetch.js';
export { mapAhead } from './pipeline/map-ahead.js';
export type { MapAheadOptions } from './pipeline/map-ahead.js';

// --- normalization and feature selection (fitted on the training split only) ---
export { featureTransforms, featureTransformFromConfig } from './features/feature-transform.js';
export type { FeatureTransform, FeatureTransformConfig } from './features/feature-transform.js';
export { channelStats } from './features/channel-stats.js';
export type { ChannelStats } from './features/channel-stats.js';
export { Standardizer } from './features/standardizer.js';
export type { StandardizeConfig } from './features/standardizer.js';
export { MinMaxScaler } from './features/min-max-scaler.js';
export type { MinMaxConfig, MinMaxOptions } from './features/min-max-scaler.js';
export { VarianceThreshold } from './features/variance-threshold.js';
export type { VarianceThresholdConfig } from './features/variance-threshold.js';
export { MutualInfoSelector } from './features/mutual-info-selector.js';
export type { MutualInfoConfig, MutualInfoOptions } from './features/mutual-info-selector.js';
export { mutualInformation, equalWidthBins } from './features/mutual-information.js';
export { selectColumns } from './features/select-columns.js';
