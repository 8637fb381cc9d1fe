import type { PretrainedExtractorConfig } from '@omnitrain/encoders';

/**
 * The modality a pretrained extractor config reads, known before its model is loaded: `use-lite`
 * reads text, `mobilenet-v2` images, `transformers` its `modality` field (text, image or audio).
 *
 * @param config A validated extractor config.
 * @example extractorModality({ type: 'use-lite', batchSize: 32 }) // 'text'
 */
export function extractorModality(config: PretrainedExtractorConfig): 'image' | 'audio' | 'text' {
  return config.type === 'use-lite' ? 'text' : config.type === 'mobilenet-v2' ? 'image' : config.modality;
}
