// Test oracle: TensorBoard's real message definitions (tensorflow/core/util/event.proto,
// tensorflow/core/framework/summary.proto, the fields used), decoded by protobufjs.
import protobuf from 'protobufjs';
import { referenceCrc32c, referenceMask } from './reference-crc32c.js';

const PROTO = `
syntax = "proto3";
package tensorflow;

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    bytes graph_def = 4;
    Summary summary = 5;
    bytes log_message = 6;
    bytes session_log = 7;
    bytes tagged_run_metadata = 8;
    bytes meta_graph_def = 9;
  }
  bytes source_metadata = 10;
}

message HistogramProto {
  double min = 1;
  double max = 2;
  double num = 3;
  double sum = 4;
  double sum_squares = 5;
  repeated double bucket_limit = 6 [packed = true];
  repeated double bucket = 7 [packed = true];
}

message Summary {
  message Value {
    string node_name = 7;
    string tag = 1;
    bytes metadata = 9;
    oneof value {
      float simple_value = 2;
      bytes obsolete_old_style_histogram = 3;
      bytes image = 4;
      HistogramProto histo = 5;
      bytes audio = 6;
      bytes tensor = 8;
    }
  }
  repeated Value value = 1;
}
`;

/** The `tensorflow.Event` message type. */
export const EventType = protobuf.parse(PROTO, { keepCase: true }).root.lookupType('tensorflow.Event');

/** One decoded record of an event file. */
export interface DecodedRecord {
  /** The record's payload. */
  data: Uint8Array;
  /** The Event, as a plain object (int64 as number, absent fields as their defaults). */
  event: Record<string, unknown>;
  /** What protobufjs writes for the message it decoded: equal to `data` if every field was right. */
  reencoded: Uint8Array;
}

/**
 * Splits a TFRecord file into records, checking both masked CRCs of each against the bitwise
 * reference, and decodes each payload as an Event.
 */
export function decodeEventFile(file: Buffer): DecodedRecord[] {
  const records: DecodedRecord[] = [];
  for (let at = 0; at < file.length; ) {
    const length = Number(file.readBigUInt64LE(at));
    if (file.readUInt32LE(at + 8) !== referenceMask(referenceCrc32c(file.subarray(at, at + 8)))) throw new Error(`bad length CRC at byte ${at}`);
    const data = file.subarray(at + 12, at + 12 + length);
    if (file.readUInt32LE(at + 12 + length) !== referenceMask(referenceCrc32c(data))) throw new Error(`bad data CRC at byte ${at}`);
    const message = EventType.decode(data);
    const event = EventType.toObject(message, { longs: Number, oneofs: true, defaults: true });
    records.push({ data, event, reencoded: EventType.encode(message).finish() });
    at += 12 + length + 4;
  }
  return records;
}
