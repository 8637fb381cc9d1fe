import { loadConfigObject } from '@omnitrain/core';
import { cachedExtractor } from './cached-extractor.js';
import type { AudioLoader } from './audio-loader.js';
import type { FeatureExtractor } from './feature-extractor.js';
import { mobilenetV2Extractor } from './mobilenet-v2-extractor.js';
import { pretrainedExtractorConfigSchema } from './pretrained-config.js';
import type { PretrainedExtractorConfigInput } from './pretrained-config.js';
import { transformersExtractor } from './transformers-extractor.js';
import { useLiteExtractor } from './use-lite-extractor.js';

/**
 * Builds a pretrained, frozen feature extractor from its config (see
 * {@link pretrainedExtractorConfigSchema}), wrapped in the feature cache when `cacheDir` is set.
 *
 * @param config `{ type: 'use-lite' | 'mobilenet-v2' | 'transformers', ... }`.
 * @param services What a config cannot carry: the `audioLoader` an audio model reads files with
 *   (required for `modality: audio`). Default none.
 * @returns The extractor; `dispose()` it when done.
 * @throws ConfigError for an invalid config (unknown type with a suggestion), BackendError when the
 *   package with the weights is not installed.
 *
 * @example
 * const text = await createFeatureExtractor({ type: 'use-lite', cacheDir: '.omnitrain/features' });
 * const audio = await createFeatureExtractor({ type: 'transformers', modality: 'audio', path: 'models/hubert-base-ls960' }, { audioLoader: wavAudioLoader() });
 */
export async function createFeatureExtractor(config: PretrainedExtractorConfigInput, services: { audioLoader?: AudioLoader } = {}): Promise<FeatureExtractor> {
  const c = loadConfigObject(config, pretrainedExtractorConfigSchema, { source: 'encoders.createFeatureExtractor' });
  const extractor =
    c.type === 'use-lite'
      ? await useLiteExtractor({ batchSize: c.batchSize })
      : c.type === 'mobilenet-v2'
        ? await mobilenetV2Extractor({ batchSize: c.batchSize })
        : await transformersExtractor({
            path: c.path,
            modality: c.modality,
            pooling: c.pooling,
            normalize: c.normalize,
            quantized: c.quantized,
            batchSize: c.batchSize,
            ...(c.modality === 'audio' ? { audioLoader: services.audioLoader, durationSec: c.durationSec } : {}),
          });
  return c.cacheDir === undefined ? extractor : cachedExtractor(extractor, { dir: c.cacheDir });
}
