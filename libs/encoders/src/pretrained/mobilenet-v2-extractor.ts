import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DataError } from '@omnitrain/core';
import { decodeImage } from '@omnitrain/image';
import type { FeatureExtractor } from './feature-extractor.js';
import { optionalPackageDir, requireFile } from './optional-package.js';

/** Options of {@link mobilenetV2Extractor}. */
export interface MobilenetV2Options {
  /** Images run through the model at once. Default 32. */
  batchSize?: number;
}

/** The layer whose output is the 1280-d feature map averaged over space, before the classifier. */
const FEATURE_LAYER = 'flatten_1';

/**
 * MobileNetV2 image features (1280-d: the last conv block, average-pooled) from the weights that
 * ship inside the npm package `nsfwjs` (MIT; a MobileNetV2 trained for image classification),
 * loaded offline from the package's files into tfjs-layers and cut before its classifier.
 * Images are decoded as RGB, resized to 224 x 224 (cover: scaled, centre cropped) and scaled to
 * [0, 1], as nsfwjs does.
 *
 * @param options Batch size.
 * @returns The extractor (`id` mobilenet-v2, 1280-d, image file paths in).
 * @throws BackendError naming `nsfwjs` when the package is not installed.
 *
 * @example
 * const mobilenet = await mobilenetV2Extractor();
 * const [features] = await mobilenet.extract(['data/cat.jpg']); // Float32Array(1280)
 */
export async function mobilenetV2Extractor(options: MobilenetV2Options = {}): Promise<FeatureExtractor> {
  const size = 224; // the model's fixed input
  const batchSize = options.batchSize ?? 32;
  const dir = join(optionalPackageDir('nsfwjs', 'mobilenetV2Extractor'), 'dist', 'models', 'mobilenet_v2');
  const json = requireFile(join(dir, 'model.min.js')) as { modelTopology: object; weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> };
  const shards = json.weightsManifest.flatMap((g) => g.paths).map((p) => Buffer.from(requireFile(join(dir, `${p.replace(/\.bin$/, '')}.min.js`)) as string, 'base64'));
  const weights = Buffer.concat(shards);
  const full = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  const model = tfl.model({ inputs: full.inputs, outputs: full.getLayer(FEATURE_LAYER).output as tfl.SymbolicTensor });
  const fingerprint = createHash('sha256').update(weights).digest('hex').slice(0, 16);
  return {
    id: 'mobilenet-v2',
    modality: 'image',
    outputDim: 1280,
    cacheKey: `mobilenet-v2:nsfwjs:${fingerprint}`,
    async extract(items) {
      const out: Float32Array[] = [];
      for (let at = 0; at < items.length; at += batchSize) {
        const paths = items.slice(at, at + batchSize);
        const images = await Promise.all(paths.map((p) => decodeImage(p, { colors: 'rgb', resize: { width: size, height: size } })));
        images.forEach((img, i) => {
          if (img.shape[0] !== size || img.shape[1] !== size) {
            throw new DataError({ op: 'encoders.mobilenetV2', expected: `a ${size}x${size} image after resizing`, received: `[${img.shape.join(', ')}]`, where: `file ${paths[i]}` });
          }
        });
        const features = tf.tidy(() => {
          const batch = tf.stack(images.map((img) => tf.tensor3d(img.data, [size, size, 3])));
          return model.predict(batch) as tf.Tensor2D;
        });
        const data = (await features.data()) as Float32Array;
        features.dispose();
        for (let i = 0; i < paths.length; i++) out.push(data.slice(i * 1280, (i + 1) * 1280));
      }
      return out;
    },
    dispose() {
      full.dispose();
    },
  };
}

