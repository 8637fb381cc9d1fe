import type { TensorboardValue } from './encode-summary-value.js';
import { encodeSummaryValue } from './encode-summary-value.js';
import { ProtoWriter } from './proto-writer.js';

/** One `Event` record: the file version (first record of a file) or a summary of values at a step. */
export type TensorboardEvent = { wallTime: number; step: number } & ({ fileVersion: string } | { values: readonly TensorboardValue[] });

/**
 * Serializes a TensorBoard `Event` protobuf (tensorflow/core/util/event.proto): wall_time = 1,
 * step = 2, file_version = 3, summary = 5; `Summary.value` = 1, each as {@link encodeSummaryValue} writes it.
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
  for (const value of event.values) summary.bytes(1, encodeSummaryValue(value));
  return writer.bytes(5, summary.finish()).finish();
}
