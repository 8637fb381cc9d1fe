// Test fixture: a REAL tiny training run. Trains a small tfjs model (cpu backend) on a synthetic
// 2-class problem step by step and writes events through @omnitrain/telemetry's RunRecorder +
// jsonlSink into <runsDir>/<runId>/events.jsonl, with a small sleep between steps.
// Usage: node train-tiny.mjs <runsDir> <runId> <steps> <lr>
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { RunRecorder, jsonlSink, hostInfo } from '@omnitrain/telemetry';

const [runsDir, runId, stepsText = '40', lrText = '0.1'] = process.argv.slice(2);
const steps = Number(stepsText);
const lr = Number(lrText);
await tf.setBackend('cpu');
const dir = join(runsDir, runId);
mkdirSync(dir, { recursive: true });
const recorder = new RunRecorder({ runId, sink: jsonlSink({ path: join(dir, 'events.jsonl'), flushEvery: 1 }) });
recorder.emit({
  kind: 'run-start', name: runId, config: { steps, lr }, hparams: { lr, steps, hidden: 8 },
  backend: { name: 'cpu', tfjsBackend: 'cpu', tfjsVersion: tf.version.tfjs, device: 'cpu', skipped: [] }, worldSize: 1, host: hostInfo(),
});
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 8, activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
model.compile({ optimizer: tf.train.sgd(lr), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const x = tf.randomNormal([64, 2]);
const y = tf.tidy(() => x.sum(1, true).greater(0).toFloat());
for (let step = 0; step < steps; step++) {
  const t0 = performance.now();
  const [loss, acc] = await model.trainOnBatch(x, y);
  const ms = performance.now() - t0;
  recorder.emit({ kind: 'metric', name: 'loss', split: 'train', step, value: loss });
  recorder.emit({ kind: 'metric', name: 'accuracy', split: 'train', step, value: acc });
  recorder.emit({ kind: 'learning-rate', step, value: lr });
  if (step % 5 === 4) {
    const [vl, va] = model.evaluate(x, y).map((t) => t.dataSync()[0]);
    recorder.emit({ kind: 'metric', name: 'loss', split: 'val', step, value: vl });
    recorder.emit({ kind: 'metric', name: 'accuracy', split: 'val', step, value: va });
  }
  recorder.emit({ kind: 'step-time', step, computeMs: ms, dataMs: 0, allReduceMs: 0, optimizerMs: 0, totalMs: ms, samples: 64 });
  await recorder.flush();
  await new Promise((r) => setTimeout(r, 60));
}
recorder.emit({ kind: 'run-end', status: 'completed', step: steps - 1, summary: {} });
await recorder.close();
