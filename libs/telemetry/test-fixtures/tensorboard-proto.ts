// Test oracle: TensorBoard's real message definitions (tensorflow/core/util/event.proto,
// tensorboard/compat/proto/{summary,tensor,tensor_shape}.proto, tensorboard/plugins/hparams/
// {api,plugin_data}.proto, google/protobuf/struct.proto; the fields used, enums as TensorBoard
// names them), decoded by protobufjs reflection.
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

message TensorShapeProto {
  message Dim {
    int64 size = 1;
    string name = 2;
  }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}

message TensorProto {
  int32 dtype = 1;
  TensorShapeProto tensor_shape = 2;
  int32 version_number = 3;
  bytes tensor_content = 4;
  repeated int32 half_val = 13 [packed = true];
  repeated float float_val = 5 [packed = true];
  repeated double double_val = 6 [packed = true];
  repeated int32 int_val = 7 [packed = true];
  repeated bytes string_val = 8;
  repeated int64 int64_val = 10 [packed = true];
  repeated bool bool_val = 11 [packed = true];
}

message SummaryMetadata {
  message PluginData {
    string plugin_name = 1;
    bytes content = 2;
  }
  PluginData plugin_data = 1;
  string display_name = 2;
  string summary_description = 3;
  int32 data_class = 4;
}

message Summary {
  message Image {
    int32 height = 1;
    int32 width = 2;
    int32 colorspace = 3;
    bytes encoded_image_string = 4;
  }
  message Audio {
    float sample_rate = 1;
    int64 num_channels = 2;
    int64 length_frames = 3;
    bytes encoded_audio_string = 4;
    string content_type = 5;
  }
  message Value {
    string node_name = 7;
    string tag = 1;
    SummaryMetadata metadata = 9;
    oneof value {
      float simple_value = 2;
      bytes obsolete_old_style_histogram = 3;
      Image image = 4;
      HistogramProto histo = 5;
      Audio audio = 6;
      TensorProto tensor = 8;
    }
  }
  repeated Value value = 1;
}
`;

// google/protobuf/struct.proto (the parts hparams use) and tensorboard/plugins/hparams/{api,plugin_data}.proto.
const STRUCT_PROTO = `
syntax = "proto3";
package google.protobuf;
message Struct { map<string, Value> fields = 1; }
message Value {
  oneof kind {
    int32 null_value = 1;
    double number_value = 2;
    string string_value = 3;
    bool bool_value = 4;
    Struct struct_value = 5;
    ListValue list_value = 6;
  }
}
message ListValue { repeated Value values = 1; }
`;

const HPARAMS_PROTO = `
syntax = "proto3";
package tensorboard.hparams;

enum DataType { DATA_TYPE_UNSET = 0; DATA_TYPE_STRING = 1; DATA_TYPE_BOOL = 2; DATA_TYPE_FLOAT64 = 3; }
enum DatasetType { DATASET_UNKNOWN = 0; DATASET_TRAINING = 1; DATASET_VALIDATION = 2; }
enum Status { STATUS_UNKNOWN = 0; STATUS_SUCCESS = 1; STATUS_FAILURE = 2; STATUS_RUNNING = 3; }

message Interval { double min_value = 1; double max_value = 2; }
message HParamInfo {
  string name = 1;
  string display_name = 2;
  string description = 3;
  DataType type = 4;
  oneof domain {
    google.protobuf.ListValue domain_discrete = 5;
    Interval domain_interval = 6;
  }
  bool differs = 7;
}
message MetricName { string group = 1; string tag = 2; }
message MetricInfo {
  MetricName name = 1;
  string display_name = 3;
  string description = 4;
  DatasetType dataset_type = 5;
}
message Experiment {
  string name = 6;
  string description = 1;
  string user = 2;
  double time_created_secs = 3;
  repeated HParamInfo hparam_infos = 4;
  repeated MetricInfo metric_infos = 5;
}
message HParamsPluginData {
  int32 version = 1;
  oneof data {
    Experiment experiment = 2;
    SessionStartInfo session_start_info = 3;
    SessionEndInfo session_end_info = 4;
  }
}
message SessionStartInfo {
  map<string, google.protobuf.Value> hparams = 1;
  string model_uri = 2;
  string monitor_url = 3;
  string group_name = 4;
  double start_time_secs = 5;
}
message SessionEndInfo {
  Status status = 1;
  double end_time_secs = 2;
}
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
protobuf.parse(STRUCT_PROTO, root, { keepCase: true });
protobuf.parse(HPARAMS_PROTO, root, { keepCase: true });
root.resolveAll();

/** The `tensorflow.Event` message type. */
export const EventType = root.lookupType('tensorflow.Event');
/** The `tensorflow.Summary.Value` message type. */
export const SummaryValueType = root.lookupType('tensorflow.Summary.Value');
/** The `tensorboard.hparams.HParamsPluginData` message type (the content of hparams summaries). */
export const HparamsPluginDataType = root.lookupType('tensorboard.hparams.HParamsPluginData');

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
