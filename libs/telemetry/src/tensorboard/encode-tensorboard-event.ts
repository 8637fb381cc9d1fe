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

/** One `Summary.Value`: a scalar or a histogram under a tag. */
export type TensorboardValue = { tag: string; simpleValue: number } | { tag: string; histogram: TensorboardHistogram };

/** One `Event` record: the file version (first record of a file) or a summary of values at a step. */
export type TensorboardEvent = { wallTime: number; step: number } & ({ fileVersion: string } | { values: readonly TensorboardValue[] });

/**
 * Serializes a TensorBoard `Event` protobuf (tensorflow/core/util/event.proto): wall_time = 1,
 * step = 2, file_version = 3, summary = 5; `Summary.value` = 1 with tag = 1, simple_value = 2,
 * histo = 5; `HistogramProto` min..sum_squares = 1..5, packed bucket_limit = 6, bucket = 7.
 *
 * @param event Wall time in seconds since the Unix epoch, the step, and the payload.
 *
 * @example
 * frameRecord(encodeTensorboardEvent({ wallTime: Date.now() / 1000, step: 3, values: [{ tag: 'loss', simpleValue: 0.7 }] }));
 */
export function encodeTensorboardEvent(event: TensorboardEvent): Uint8Array {
  const writer = new ProtoWriter().double(1, event.wallTime).int64(2, event.step);
  if ('fileVersion' in event) return writer.string(3, event.fileVersion).finish();
  const summary = new ProtoWriter();
  for (const value of event.values) summary.bytes(1, encodeValue(value));
  return writer.bytes(5, summary.finish()).finish();
}

function encodeValue(value: TensorboardValue): Uint8Array {
  const writer = new ProtoWriter().string(1, value.tag);
  if ('simpleValue' in value) return writer.float(2, value.simpleValue, true).finish();
  const h = value.histogram;
  const histo = new ProtoWriter()
    .double(1, h.min)
    .double(2, h.max)
    .double(3, h.num)
    .double(4, h.sum)
    .double(5, h.sumSquares)
    .packedDoubles(6, h.bucketLimits)
    .packedDoubles(7, h.buckets)
    .finish();
  return writer.bytes(5, histo).finish();
}
