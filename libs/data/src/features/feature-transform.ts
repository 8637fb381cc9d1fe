import { ConfigError, Registry } from '@omnitrain/core';

/** The serialized form of a fitted {@link FeatureTransform}: plain JSON tagged by `kind`. */
export interface FeatureTransformConfig {
  kind: string;
  [field: string]: unknown;
}

/**
 * A transform of row-major feature arrays fitted once, on the training split, then saved with
 * the model (`getConfig`) and rebuilt at evaluation (`featureTransformFromConfig`) so both apply
 * the very same numbers.
 */
export interface FeatureTransform {
  /** The registered kind (`standardize`, `min-max`, `variance-threshold`, `mutual-info`). */
  readonly kind: string;
  /** Length of the last axis this transform expects. */
  readonly inputWidth: number;
  /** Transforms a row-major array `[..., inputWidth]` into a new array. */
  transform(x: Float32Array): Float32Array;
  /** The fitted parameters, as plain JSON. */
  getConfig(): FeatureTransformConfig;
}

/**
 * Rebuilders of fitted feature transforms, by kind. Modality libs add theirs in their registration
 * file.
 *
 * @example featureTransforms.register('pca', (config) => Pca.fromConfig(config));
 */
export const featureTransforms = new Registry<(config: FeatureTransformConfig) => FeatureTransform>(
  'feature transform',
);

/**
 * Rebuilds a fitted transform from its {@link FeatureTransform.getConfig} output.
 *
 * @param config A config saved with a model or checkpoint.
 * @throws ConfigError on an unknown kind (listing the known ones) or malformed fields.
 * @example
 * const scaler = featureTransformFromConfig(JSON.parse(saved)); // a Standardizer, say
 * const evalX = scaler.transform(rawEvalX);
 */
export function featureTransformFromConfig(config: FeatureTransformConfig): FeatureTransform {
  if (typeof config?.kind !== 'string') {
    throw new ConfigError({
      op: 'data.featureTransformFromConfig',
      expected: 'an object with a string kind',
      received: JSON.stringify(config),
    });
  }
  return featureTransforms.get(config.kind)(config);
}
