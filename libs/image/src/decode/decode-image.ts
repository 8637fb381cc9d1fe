import sharp from 'sharp';
import type { OutputInfo, Sharp } from 'sharp';
import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';
import { toGrayscale } from '../color/to-grayscale.js';
import { readImageSource, undecodableImage } from './image-source.js';
import { decodeJpegFast } from './decode-jpeg-fast.js';
import { decodePngFast } from './decode-png-fast.js';
import { storedLayout } from './stored-layout.js';
import type { StoredLayout } from './stored-layout.js';

/** The options of {@link decodeImage} that belong in a config file; every field has a default. */
export const DecodeImageOptionsSchema = z.strictObject({
  /**
   * `rgb`: 3 colour channels (gray files replicated); `gray`: 1 channel (colour files by luma,
   * 0.299 R + 0.587 G + 0.114 B); `keep`: files stored gray (PNG, JPEG) stay gray, the rest is RGB. Default `rgb`.
   */
  colors: z.enum(['rgb', 'gray', 'keep']).default('rgb'),
  /** `drop`: no alpha channel; `keep`: alpha kept where the file has one; `add`: always alpha (opaque where the file has none). Default `drop`. */
  alpha: z.enum(['drop', 'keep', 'add']).default('drop'),
  /** Resize while decoding, with sharp (JPEG shrink-on-load makes this far faster than resizing after). Default: none. */
  resize: z
    .strictObject({
      /** Target width in pixels; omitted: keep the aspect ratio. */
      width: z.int().positive().optional(),
      /** Target height in pixels; omitted: keep the aspect ratio. */
      height: z.int().positive().optional(),
      /** How to fit both sides, as sharp's `fit`. Default `cover` (scale to cover, crop the centre). */
      fit: z.enum(['fill', 'cover', 'contain', 'inside', 'outside']).default('cover'),
      /** The interpolation kernel, as sharp's `kernel`. Default `lanczos3`. */
      kernel: z.enum(['nearest', 'linear', 'cubic', 'mitchell', 'lanczos2', 'lanczos3']).default('lanczos3'),
    })
    .refine((r) => r.width !== undefined || r.height !== undefined, { message: 'give width, height or both' })
    .optional(),
  /** Rotate and mirror as the EXIF orientation tag says. Default true. */
  autoOrient: z.boolean().default(true),
  /** How damaged pixel data may be before decoding fails, as sharp's `failOn` (`warning` is strictest). Default `warning`. */
  failOn: z.enum(['none', 'truncated', 'error', 'warning']).default('warning'),
});

/** Options of {@link decodeImage}: the config fields of {@link DecodeImageOptionsSchema} and a name for bytes. */
export type DecodeImageOptions = z.input<typeof DecodeImageOptionsSchema> & {
  /** The name errors give `input` when it is bytes (`file <source>`). Default `<bytes>`. */
  source?: string;
};

const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/**
 * Decodes a PNG, JPEG or WebP file (8- or 16-bit, gray or colour, with or without alpha) into a
 * {@link FloatImage} with values in [0, 1] (8-bit samples / 255, 16-bit samples / 65535),
 * optionally resizing it with sharp on the way.
 *
 * @param input A file path, or the encoded bytes (name them with `options.source`).
 * @param options Colour mode (default `rgb`), alpha (default `drop`), resize (default none),
 *   EXIF orientation (default on), failOn (default `warning`), source name; see {@link DecodeImageOptionsSchema}.
 * @returns The image, shape `[height, width, channels]`.
 * @throws DataError naming the file when it is missing, empty, not PNG/JPEG/WebP, corrupt or truncated.
 * @throws ConfigError when the options are invalid.
 * @example
 * const img = await decodeImage('data/cat.jpg', { resize: { width: 256, height: 256 } }); // shape [256, 256, 3]
 * const digit = await decodeImage(pngBytes, { colors: 'gray', source: 'mnist/7.png' }); // shape [28, 28, 1]
 */
export async function decodeImage(input: string | Uint8Array, options: DecodeImageOptions = {}): Promise<FloatImage> {
  const op = 'image.decode';
  const { source: name, ...config } = options;
  const o = loadConfigObject(config, DecodeImageOptionsSchema, { source: op });
  const source = await readImageSource(input, op, name);
  let decoded: { data: Uint8Array; info: Pick<OutputInfo, 'width' | 'height' | 'channels'>; sixteenBit: boolean; storedGray: boolean };
  // Plain 8-bit PNGs and baseline JFIF JPEGs without resizing skip sharp (its per-call cost dominates small images).
  const fast =
    o.resize !== undefined ? undefined
    : source.format === 'png' ? decodePngFast(source.bytes, o.alpha)
    : source.format === 'jpeg' ? decodeJpegFast(source.bytes, o.alpha)
    : undefined;
  if (fast !== undefined) decoded = { data: fast.data, info: fast, sixteenBit: false, storedGray: fast.gray };
  else {
  try {
      const pipeline = sharp(source.bytes, { failOn: o.failOn, autoOrient: o.autoOrient });
      const layout = storedLayout(source) ?? (await metadataLayout(pipeline));
      const sixteenBit = layout.sixteenBit;
      // libvips' gray output drops alpha, so sharp always gives RGB(A) and gray is made here, by luma.
      pipeline.toColourspace(sixteenBit ? 'rgb16' : 'srgb');
      if (o.alpha === 'drop') pipeline.removeAlpha();
      if (o.alpha === 'add') pipeline.ensureAlpha();
      if (o.resize) pipeline.resize(o.resize);
      const { data, info } = await pipeline.raw(sixteenBit ? { depth: 'ushort' } : {}).toBuffer({ resolveWithObject: true });
      decoded = { data, info, sixteenBit, storedGray: layout.gray };
    } catch (cause) {
      throw undecodableImage(source, op, cause);
    }
  }
  const { data, info, sixteenBit, storedGray } = decoded;
  const rgb = floatImage([info.height, info.width, info.channels]);
  if (sixteenBit) {
    const aligned = data.byteOffset % 2 === 0 ? data : new Uint8Array(data);
    const samples = new Uint16Array(aligned.buffer, aligned.byteOffset, data.length / 2);
    for (let i = 0; i < samples.length; i++) rgb.data[i] = samples[i]! / 65535;
  } else {
    for (let i = 0; i < data.length; i++) rgb.data[i] = BYTE_TO_UNIT[data[i]!]!;
  }
  if (o.colors === 'rgb' || (o.colors === 'keep' && !storedGray)) return rgb;
  return storedGray ? firstChannel(rgb) : toGrayscale(rgb);
}

/** A gray file decoded as R = G = B: its gray values exactly (luma would round them). */
function firstChannel(rgb: FloatImage): FloatImage {
  const [height, width, channels] = rgb.shape;
  const alpha = channels === 4;
  const out = floatImage([height, width, alpha ? 2 : 1]);
  for (let i = 0, o = 0; i < rgb.data.length; i += channels) {
    out.data[o++] = rgb.data[i]!;
    if (alpha) out.data[o++] = rgb.data[i + 3]!;
  }
  return out;
}

/** The layout as libvips reads it: for headers {@link storedLayout} does not parse. */
async function metadataLayout(pipeline: Sharp): Promise<StoredLayout> {
  const meta = await pipeline.metadata();
  return { sixteenBit: meta.depth === 'ushort', gray: meta.space === 'b-w' || meta.space === 'grey16' };
}
