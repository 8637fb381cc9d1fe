import { decodeImage, imageTransformFromConfig, normalize } from '@omnitrain/image';
import type { FloatImage, ImageTransform } from '@omnitrain/image';
import { Rng } from '@omnitrain/core';
import type { FeaturesConfig } from './features-config.js';

/** Normalization draws nothing; it still takes a stream, like every transform. */
const NO_DRAWS = Rng.fromSeed(0);

/**
 * Turns image files into model inputs: decoded once (resized to `size`, gray or RGB) and cached,
 * then, per call, the configured augmentations (training only) and per-channel standardization.
 *
 * @example
 * const images = new ImageFeaturizer(parseFeaturesConfig({}).image);
 * const x = await images.features('digits/images/7-0001.png'); // Float32Array(28 * 28), HWC
 */
export class ImageFeaturizer {
  /** `[height, width, channels]` of one sample's features. */
  readonly shape: readonly [number, number, number];
  readonly #config: FeaturesConfig['image'];
  readonly #augment: ImageTransform[];
  readonly #normalize: ImageTransform;
  readonly #decoded = new Map<string, Promise<FloatImage>>();
  readonly #plain = new Map<string, Promise<Float32Array>>();

  /**
   * @param config The `image` section of a features config.
   * @throws ConfigError when an augmentation kind is unknown or its options are invalid.
   */
  constructor(config: FeaturesConfig['image']) {
    this.#config = config;
    this.shape = [config.size[0], config.size[1], config.channels];
    this.#augment = config.augment.map((c) => imageTransformFromConfig(c));
    this.#normalize = normalize({ mean: config.mean, std: config.std });
  }

  /** Whether {@link features} changes with the random stream (augmentations are configured). */
  get augments(): boolean {
    return this.#augment.length > 0;
  }

  /**
   * The decoded, resized image of `path` in [0, 1], cached.
   *
   * @throws DataError naming the file when it is missing, truncated or not an image.
   */
  decode(path: string): Promise<FloatImage> {
    let decoded = this.#decoded.get(path);
    if (!decoded) {
      const [height, width] = this.#config.size;
      decoded = decodeImage(path, {
        colors: this.#config.channels === 1 ? 'gray' : 'rgb',
        resize: { width, height, fit: 'fill' },
      });
      this.#decoded.set(path, decoded);
    }
    return decoded;
  }

  /**
   * The features of `path`: `[h, w, c]` values, standardized; augmented when `rng` is given.
   *
   * @param path The image file.
   * @param rng The augmentation stream (training); omit for the plain features (cached).
   * @throws DataError naming the file when it cannot be decoded.
   */
  async features(path: string, rng?: Rng): Promise<Float32Array> {
    if (rng === undefined || !this.augments) {
      let plain = this.#plain.get(path);
      if (!plain) {
        plain = this.decode(path).then((img) => this.#normalize.apply(img, NO_DRAWS).data);
        this.#plain.set(path, plain);
      }
      return plain;
    }
    let img = await this.decode(path);
    for (const t of this.#augment) img = t.apply(img, rng);
    return this.#normalize.apply(img, rng).data;
  }
}
