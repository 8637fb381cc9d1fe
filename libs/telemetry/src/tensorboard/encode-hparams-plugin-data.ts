import { ProtoWriter } from './proto-writer.js';

/** A hyperparameter value, as TensorBoard's hparams plugin and the `run-start` event hold it. */
export type HparamValue = number | string | boolean;

/** A metric the hparams table shows: scalar `tag` in the sub-folder `group` of the session (`val`). */
export interface HparamsMetric {
  group: string;
  tag: string;
  /** Which data the metric is measured on. Default `validation`. */
  dataset?: 'training' | 'validation';
}

/** The end status of a session, as TensorBoard's `tensorboard.hparams.Status` names it. */
export type HparamsSessionStatus = 'unknown' | 'success' | 'failure' | 'running';

/**
 * The payload of an hparams-plugin summary (`tensorboard.hparams.HParamsPluginData`): the
 * experiment (which hparams and metrics exist), or the start or end of one session (= one run).
 */
export type HparamsPluginData =
  | { experiment: { timeCreatedSecs: number; hparams: Readonly<Record<string, HparamValue>>; metrics: readonly HparamsMetric[] } }
  | { sessionStart: { startTimeSecs: number; hparams: Readonly<Record<string, HparamValue>> } }
  | { sessionEnd: { endTimeSecs: number; status: HparamsSessionStatus } };

const STATUS: Record<HparamsSessionStatus, number> = { unknown: 0, success: 1, failure: 2, running: 3 };
/** `tensorboard.hparams.DataType`: STRING = 1, BOOL = 2, FLOAT64 = 3. */
const DATA_TYPE = { string: 1, boolean: 2, number: 3 } as const;
/** `tensorboard.hparams.DatasetType`: TRAINING = 1, VALIDATION = 2. */
const DATASET = { training: 1, validation: 2 } as const;

/**
 * Serializes `HParamsPluginData` (tensorboard/plugins/hparams/plugin_data.proto, version 0): oneof
 * experiment = 2 (api.proto `Experiment`: time_created_secs = 3, hparam_infos = 4
 * {name = 1, type = 4}, metric_infos = 5 {name = 1 {group = 1, tag = 2}, display_name = 3,
 * dataset_type = 5}), session_start_info = 3 (hparams = 1 as a map of `google.protobuf.Value`:
 * number_value = 2, string_value = 3, bool_value = 4; start_time_secs = 5; no group_name, so each
 * session is its own group) or session_end_info = 4 (status = 1, end_time_secs = 2). This is the
 * `content` of the summary's plugin data (plugin_name "hparams").
 *
 * @example
 * encodeHparamsPluginData({ sessionEnd: { endTimeSecs: Date.now() / 1000, status: 'success' } });
 */
export function encodeHparamsPluginData(data: HparamsPluginData): Uint8Array {
  const writer = new ProtoWriter();
  if ('experiment' in data) {
    const e = data.experiment;
    const experiment = new ProtoWriter().double(3, e.timeCreatedSecs);
    for (const [name, value] of Object.entries(e.hparams)) {
      experiment.bytes(4, new ProtoWriter().string(1, name).int64(4, DATA_TYPE[typeof value as keyof typeof DATA_TYPE]).finish());
    }
    for (const m of e.metrics) {
      const name = new ProtoWriter().optionalString(1, m.group).string(2, m.tag).finish();
      const displayName = m.group === '' ? m.tag : `${m.group}/${m.tag}`;
      experiment.bytes(5, new ProtoWriter().bytes(1, name).string(3, displayName).int64(5, DATASET[m.dataset ?? 'validation']).finish());
    }
    return writer.bytes(2, experiment.finish()).finish();
  }
  if ('sessionStart' in data) {
    const s = data.sessionStart;
    const start = new ProtoWriter();
    for (const [name, value] of Object.entries(s.hparams)) start.bytes(1, new ProtoWriter().string(1, name).bytes(2, encodeValue(value)).finish());
    start.double(5, s.startTimeSecs);
    return writer.bytes(3, start.finish()).finish();
  }
  const end = new ProtoWriter().int64(1, STATUS[data.sessionEnd.status]).double(2, data.sessionEnd.endTimeSecs);
  return writer.bytes(4, end.finish()).finish();
}

/** A `google.protobuf.Value` (struct.proto): its `kind` is a oneof, so 0, '' and false are written. */
function encodeValue(value: HparamValue): Uint8Array {
  const writer = new ProtoWriter();
  if (typeof value === 'number') return writer.double(2, value, true).finish();
  if (typeof value === 'string') return writer.string(3, value).finish();
  return writer.bool(4, value, true).finish();
}
