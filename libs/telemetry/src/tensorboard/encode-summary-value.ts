import type { HparamsPluginData } from './encode-hparams-plugin-data.js';
import { encodeHparamsPluginData } from './encode-hparams-plugin-data.js';
import { ProtoWriter } from './proto-writer.js';

/** A histogram as TensorBoard's `HistogramProto` holds it. */
export interface TensorboardHistogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  /** Right edge of each bucket; bucket 0 starts at -infinity. */
  bucketLimits: readonly number[];
  /** Count per bucket. */
  buckets: readonly number[];
}

/** An encoded image as `Summary.Image` holds it. */
export interface TensorboardImage {
  height: number;
  width: number;
  /** 1 grayscale, 2 grayscale + alpha, 3 RGB, 4 RGBA (summary.proto). */
  colorspace: number;
  /** The PNG or JPEG file's bytes. */
  encoded: Uint8Array;
}

/** An encoded clip as `Summary.Audio` holds it. */
export interface TensorboardAudio {
  /** Hz. */
  sampleRate: number;
  numChannels: number;
  /** Samples per channel. */
  lengthFrames: number;
  /** The WAV file's bytes. */
  encoded: Uint8Array;
  /** RFC 2045 content type. Default `audio/wav`. */
  contentType?: string;
}

/**
 * One `Summary.Value` under a tag: a scalar, a histogram, an image, an audio clip, a text (the
 * text plugin: a string tensor) or an hparams-plugin record.
 */
export type TensorboardValue = { tag: string } & (
  | { simpleValue: number }
  | { histogram: TensorboardHistogram }
  | { image: TensorboardImage }
  | { audio: TensorboardAudio }
  | { text: string }
  | { hparams: HparamsPluginData }
);

/** `tensorflow.DataType`: DT_FLOAT = 1, DT_STRING = 7. */
const DT_FLOAT = 1;
const DT_STRING = 7;
/** The empty float tensor (shape [0]) hparams summaries carry, byte for byte as TensorBoard writes it. */
const NULL_TENSOR = new ProtoWriter().int64(1, DT_FLOAT).bytes(2, new ProtoWriter().bytes(2, new Uint8Array(0)).finish()).finish();

/**
 * Serializes one `Summary.Value` (tensorboard/compat/proto/summary.proto): tag = 1, then the oneof
 * value: simple_value = 2, image = 4 (`Image`: height = 1, width = 2, colorspace = 3,
 * encoded_image_string = 4), histo = 5 (`HistogramProto`: min..sum_squares = 1..5, packed
 * bucket_limit = 6, bucket = 7), audio = 6 (`Audio`: sample_rate = 1 (float), num_channels = 2,
 * length_frames = 3, encoded_audio_string = 4, content_type = 5) or tensor = 8 (`TensorProto`:
 * dtype = 1, tensor_shape = 2, string_val = 8); then metadata = 9 (`SummaryMetadata`: plugin_data =
 * 1 {plugin_name = 1, content = 2}). Texts are scalar
 * DT_STRING tensors of plugin "text"; hparams records carry the plugin data and an empty float tensor.
 * Images and audio carry no metadata, as TensorFlow writes them: TensorBoard assigns their plugin.
 *
 * @example
 * new ProtoWriter().bytes(1, encodeSummaryValue({ tag: 'samples/3/0/prediction', text: 'label 3, predicted 8 (0.61)' }));
 */
export function encodeSummaryValue(value: TensorboardValue): Uint8Array {
  const writer = new ProtoWriter().string(1, value.tag);
  if ('simpleValue' in value) return writer.float(2, value.simpleValue, true).finish();
  if ('histogram' in value) return writer.bytes(5, encodeHistogram(value.histogram)).finish();
  if ('image' in value) {
    const i = value.image;
    const image = new ProtoWriter().int64(1, i.height).int64(2, i.width).int64(3, i.colorspace).bytes(4, i.encoded).finish();
    return writer.bytes(4, image).finish();
  }
  if ('audio' in value) {
    const a = value.audio;
    const audio = new ProtoWriter()
      .float(1, a.sampleRate)
      .int64(2, a.numChannels)
      .int64(3, a.lengthFrames)
      .bytes(4, a.encoded)
      .string(5, a.contentType ?? 'audio/wav')
      .finish();
    return writer.bytes(6, audio).finish();
  }
  if ('text' in value) {
    const scalarShape = new Uint8Array(0);
    const tensor = new ProtoWriter().int64(1, DT_STRING).bytes(2, scalarShape).string(8, value.text).finish();
    return writer.bytes(8, tensor).bytes(9, encodeMetadata('text')).finish();
  }
  return writer.bytes(8, NULL_TENSOR).bytes(9, encodeMetadata('hparams', encodeHparamsPluginData(value.hparams))).finish();
}

function encodeHistogram(h: TensorboardHistogram): Uint8Array {
  return new ProtoWriter()
    .double(1, h.min)
    .double(2, h.max)
    .double(3, h.num)
    .double(4, h.sum)
    .double(5, h.sumSquares)
    .packedDoubles(6, h.bucketLimits)
    .packedDoubles(7, h.buckets)
    .finish();
}

/** A `SummaryMetadata` naming the plugin; version 0 of the text plugin's content is empty, so left out. */
function encodeMetadata(pluginName: string, content: Uint8Array = new Uint8Array(0)): Uint8Array {
  const plugin = new ProtoWriter().string(1, pluginName);
  if (content.length > 0) plugin.bytes(2, content);
  return new ProtoWriter().bytes(1, plugin.finish()).finish();
}
