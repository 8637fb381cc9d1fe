// The public door of @omnitrain/telemetry: the event contract and the sinks.
import './sinks/register-sinks.js';

// --- the event contract (EVENTS.md) ---
export { EVENT_SCHEMA_VERSION, telemetryEventSchema } from './events/event-schema.js';
export type {
  TelemetryEvent,
  TelemetryEventInput,
  EventKind,
  EventOfKind,
  EnvelopeField,
  EventDraft,
  RunStartEvent,
  MetricEvent,
  LearningRateEvent,
  StepTimeEvent,
  WorkerStatusEvent,
  SystemMetricsEvent,
  ConfusionMatrixEvent,
  SamplePredictionsEvent,
  HistogramEvent,
  CheckpointEvent,
  EarlyStopEvent,
  TrialEvent,
  RunEndEvent,
} from './events/event-schema.js';
export { parseEvent } from './events/parse-event.js';
export { serializeEvent } from './events/serialize-event.js';
export { RunRecorder } from './events/run-recorder.js';
export type { RunRecorderOptions } from './events/run-recorder.js';
export { hostInfo } from './events/host-info.js';
export { histogramOf } from './events/histogram-of.js';
export type { HistogramSummary } from './events/histogram-of.js';

// --- sinks ---
export { sinkTypes } from './sinks/sink.js';
export type { Sink, SinkContext, SinkType } from './sinks/sink.js';
export { createSink } from './sinks/create-sink.js';
export type { SinkConfig } from './sinks/create-sink.js';
export { multiSink } from './sinks/multi-sink.js';

// --- JSONL event logs ---
export { jsonlSink, jsonlSinkConfigSchema } from './jsonl/jsonl-sink.js';
export type { JsonlSinkOptions } from './jsonl/jsonl-sink.js';
export { readEvents } from './jsonl/read-events.js';
export type { ReadEventsResult } from './jsonl/read-events.js';
export { followEvents } from './jsonl/follow-events.js';
export type { FollowEventsOptions } from './jsonl/follow-events.js';
export { parseEventLine } from './jsonl/parse-event-line.js';
export type { EventLogProblem } from './jsonl/parse-event-line.js';

// --- TensorBoard event files ---
export { tensorboardSink, tensorboardSinkConfigSchema } from './tensorboard/tensorboard-sink.js';
export type { TensorboardSinkOptions } from './tensorboard/tensorboard-sink.js';
export { tensorboardValues, HPARAMS_TAGS } from './tensorboard/tensorboard-values.js';
export type { TensorboardEntry } from './tensorboard/tensorboard-values.js';
export { sampleSummaries } from './tensorboard/sample-summaries.js';
export type { SampleSummariesOptions } from './tensorboard/sample-summaries.js';
export { encodeTensorboardEvent } from './tensorboard/encode-tensorboard-event.js';
export type { TensorboardEvent } from './tensorboard/encode-tensorboard-event.js';
export { encodeSummaryValue } from './tensorboard/encode-summary-value.js';
export type {
  TensorboardValue,
  TensorboardHistogram,
  TensorboardImage,
  TensorboardAudio,
} from './tensorboard/encode-summary-value.js';
export { encodeHparamsPluginData } from './tensorboard/encode-hparams-plugin-data.js';
export type { HparamsPluginData, HparamValue, HparamsMetric, HparamsSessionStatus } from './tensorboard/encode-hparams-plugin-data.js';
export { imageHeader } from './tensorboard/image-header.js';
export type { ImageHeader } from './tensorboard/image-header.js';
export { wavHeader } from './tensorboard/wav-header.js';
export type { WavHeader } from './tensorboard/wav-header.js';
export { frameRecord, maskCrc32c } from './tensorboard/frame-record.js';
export { crc32c } from './tensorboard/crc32c.js';

// --- dashboard HTTP ---
export { httpSink, httpSinkConfigSchema } from './http/http-sink.js';
export type { HttpSink, HttpSinkOptions, HttpSinkStats } from './http/http-sink.js';
