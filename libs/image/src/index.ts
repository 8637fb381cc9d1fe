// The public door of @omnitrain/image: everything other libs and users may import.
import './transforms/register-transforms.js';
import './validate/register-validators.js';

// --- the image type and tensors ---
export { floatImage } from './image/float-image.js';
export type { FloatImage, ImageShape } from './image/float-image.js';
export { toTensor } from './image/to-tensor.js';
export { toBatchTensor } from './image/to-batch-tensor.js';

// --- decoding (sharp) ---
export { decodeImage, DecodeImageOptionsSchema } from './decode/decode-image.js';
export type { DecodeImageOptions } from './decode/decode-image.js';
export { readImageInfo } from './decode/read-image-info.js';
export type { ImageInfo } from './decode/read-image-info.js';
export { sniffImageFormat, SUPPORTED_IMAGE_FORMATS } from './decode/sniff-image-format.js';
export type { ImageFormat } from './decode/sniff-image-format.js';

// --- encoding (sharp) ---
export { encodePng } from './encode/encode-png.js';

// --- geometry: exact and resampling operations ---
export { warpAffine } from './geometry/warp-affine.js';
export type { AffineMatrix, WarpAffineOptions } from './geometry/warp-affine.js';
export { centeredAffine } from './geometry/centered-affine.js';
export type { CenteredAffineOptions } from './geometry/centered-affine.js';
export { flipHorizontal } from './geometry/flip-horizontal.js';
export { flipVertical } from './geometry/flip-vertical.js';
export { cropImage } from './geometry/crop-image.js';
export type { CropBox } from './geometry/crop-image.js';
export { resizeImage } from './geometry/resize-image.js';
export type { ResizeImageOptions } from './geometry/resize-image.js';

// --- colour operations ---
export { toGrayscale, LUMA_WEIGHTS } from './color/to-grayscale.js';
export { adjustBrightness } from './color/adjust-brightness.js';
export { adjustContrast } from './color/adjust-contrast.js';
export { adjustSaturation } from './color/adjust-saturation.js';
export { adjustHue } from './color/adjust-hue.js';

// --- transforms: seeded, composable, serializable ---
export { imageTransforms, imageTransformFromConfig } from './transforms/image-transform.js';
export type { ImageTransform, ImageTransformConfig, ImageTransformFactory } from './transforms/image-transform.js';
export { defineImageTransform } from './transforms/define-image-transform.js';
export type { ImageTransformDefinition } from './transforms/define-image-transform.js';
export { compose } from './transforms/compose.js';
export type { TransformLike } from './transforms/compose.js';
export { randomApply } from './transforms/random-apply.js';
export { resize } from './geometry/resize.js';
export { centerCrop } from './geometry/center-crop.js';
export { randomCrop } from './geometry/random-crop.js';
export { randomResizedCrop } from './geometry/random-resized-crop.js';
export { randomRotation } from './geometry/random-rotation.js';
export { randomScale } from './geometry/random-scale.js';
export { randomTranslation } from './geometry/random-translation.js';
export { randomHorizontalFlip } from './geometry/random-horizontal-flip.js';
export { randomVerticalFlip } from './geometry/random-vertical-flip.js';
export { colorJitter } from './color/color-jitter.js';
export { gaussianNoise } from './noise/gaussian-noise.js';
export { cutout } from './noise/cutout.js';
export { normalize, IMAGENET_MEAN, IMAGENET_STD } from './color/normalize.js';

// --- cleaning checks (registered in data's sampleValidators as unreadable-image, image-too-small) ---
export { unreadableImage } from './validate/unreadable-image.js';
export { imageTooSmall } from './validate/image-too-small.js';
export type { ImageTooSmallOptions } from './validate/image-too-small.js';
