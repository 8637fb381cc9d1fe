// The sinks this lib ships, registered once under the names run configs use.
import { join } from 'node:path';
import { httpSink, httpSinkConfigSchema } from '../http/http-sink.js';
import { jsonlSink, jsonlSinkConfigSchema } from '../jsonl/jsonl-sink.js';
import { tensorboardSink, tensorboardSinkConfigSchema } from '../tensorboard/tensorboard-sink.js';
import { sinkTypes } from './sink.js';
import type { SinkType } from './sink.js';

const jsonl: SinkType<typeof jsonlSinkConfigSchema> = {
  schema: jsonlSinkConfigSchema,
  create: (config, { runDir }) => jsonlSink({ ...config, path: config.path ?? join(runDir, 'events.jsonl') }),
};
const tensorboard: SinkType<typeof tensorboardSinkConfigSchema> = {
  schema: tensorboardSinkConfigSchema,
  create: (config, { runDir }) => tensorboardSink({ ...config, dir: config.dir ?? join(runDir, 'tensorboard'), mediaRoot: config.mediaRoot ?? runDir }),
};
const http: SinkType<typeof httpSinkConfigSchema> = { schema: httpSinkConfigSchema, create: (config) => httpSink(config) };

sinkTypes.register('jsonl', jsonl as SinkType);
sinkTypes.register('tensorboard', tensorboard as SinkType);
sinkTypes.register('http', http as SinkType);
