import { cpus, freemem, hostname, loadavg, totalmem } from 'node:os';
import { relative } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ConfigError, loadConfigObject } from '@omnitrain/core';
import { histogramOf, hostInfo } from '@omnitrain/telemetry';
import type { RunRecorder } from '@omnitrain/telemetry';
import type { Trainer } from '../trainer/trainer.js';
import type { Callback } from './callback.js';
import type { CallbackContext } from './callback-types.js';

/**
 * The options of {@link telemetryCallback} (the YAML-settable part).
 *
 * @example
 * telemetryCallbackConfigSchema.parse({}).everySteps; // 10
 */
export const telemetryCallbackConfigSchema = z.strictObject({
  everySteps: z.int().min(1).default(10).describe('Write train metrics, learning rate and step time every N optimizer steps. Default 10.'),
  systemEverySteps: z.int().min(1).default(50).describe('Write system metrics and a worker heartbeat every N steps. Default 50.'),
  histogramEveryEpochs: z.int().min(0).default(0).describe('Write a histogram of every trainable variable every N epochs; 0 turns it off. Default 0.'),
});

/** What {@link telemetryCallback} accepts. */
export type TelemetryCallbackOptions = z.input<typeof telemetryCallbackConfigSchema>;

/**
 * Writes the run's events (libs/telemetry/EVENTS.md) through a `RunRecorder` on the chief:
 * run-start (config, hparams, backend, host), train metrics, learning rates and the step-time split
 * every `everySteps`, system metrics and worker status, val metrics and the confusion matrix at each
 * evaluation, weight histograms every `histogramEveryEpochs`, checkpoint, early-stop and run-end. Other ranks write nothing. The recorder belongs
 * to the caller (flushed here, not closed).
 *
 * @param context recorder (required on the chief), runDir, runName, runConfig, hparams, backend, classNames.
 * @param options everySteps (10), systemEverySteps (50), histogramEveryEpochs (0: off).
 *
 * @example
 * const recorder = new RunRecorder({ runId, sink: jsonlSink({ path: `${runDir}/events.jsonl` }) });
 * telemetryCallback({ recorder, runDir, runName: 'mnist', runConfig: config });
 */
export function telemetryCallback(context: CallbackContext, options: TelemetryCallbackOptions = {}): Callback {
  const c = loadConfigObject(options, telemetryCallbackConfigSchema, { source: 'engine.telemetryCallback' });
  let rec: RunRecorder | undefined;
  const host = hostname();
  let cpuMark = { usage: process.cpuUsage(), at: performance.now(), host: hostTimes() };
  // The chief's recorder: an elastic regroup can make another rank chief, which then writes through
  // the recorder the composition root opened for it (context.recorder is read again).
  const active = (trainer: Trainer) => {
    if (trainer.strategy.isChief) rec = context.recorder ?? rec;
    return trainer.strategy.isChief && rec !== undefined;
  };
  const usage = () => {
    const now = { usage: process.cpuUsage(), at: performance.now(), host: hostTimes() };
    const wallMs = Math.max(now.at - cpuMark.at, 1e-3);
    const procMs = (now.usage.user - cpuMark.usage.user + now.usage.system - cpuMark.usage.system) / 1000;
    const hostTotal = now.host.total - cpuMark.host.total;
    const hostCpu = hostTotal > 0 ? (100 * (hostTotal - (now.host.idle - cpuMark.host.idle))) / hostTotal : 0;
    cpuMark = now;
    return { procCpu: Math.max(0, (100 * procMs) / wallMs), hostCpu: Math.max(0, hostCpu) };
  };
  const status = (trainer: Trainer, state: 'training' | 'evaluating' | 'exited' | 'failed', cpuPercent: number, message?: string) =>
    rec!.emit({ kind: 'worker-status', rank: trainer.strategy.rank, host, pid: process.pid, state, cpuPercent, rssBytes: process.memoryUsage().rss, step: trainer.step, ...(message ? { message } : {}) });
  const summary = (trainer: Trainer) => {
    const out: Record<string, number> = { ...trainer.history.last() };
    return out;
  };
  return {
    name: 'telemetry',
    onTrainBegin({ trainer, resumed }) {
      if (!trainer.strategy.isChief) return;
      if (!context.recorder) {
        throw new ConfigError({ op: 'engine.telemetryCallback', expected: 'a RunRecorder on the chief', received: 'none', hint: 'the composition root creates the recorder (sinks) and passes it in the callback context' });
      }
      rec = context.recorder;
      if (!resumed || rec.nextSeq === 0) {
        rec.emit({
          kind: 'run-start',
          name: context.runName ?? trainer.model.name,
          config: (context.runConfig ?? {}) as Record<string, never>,
          hparams: context.hparams ?? {},
          backend: context.backend ?? { name: tf.getBackend(), tfjsBackend: tf.getBackend(), tfjsVersion: tf.version_core, device: 'cpu', skipped: [] },
          worldSize: trainer.strategy.worldSize,
          host: hostInfo(),
        });
      }
      status(trainer, 'training', usage().procCpu);
    },
    onBatchEnd({ trainer, step, epoch, stepped, loss, accuracy, lr, timings, samples }) {
      if (!active(trainer) || !stepped) return;
      if (step % c.everySteps === 0) {
        rec!.emit({ kind: 'metric', name: 'loss', value: loss, step, epoch, split: 'train' });
        rec!.emit({ kind: 'metric', name: 'accuracy', value: accuracy, step, epoch, split: 'train' });
        const groups = trainer.optimizer.groups;
        groups.forEach((g, i) => rec!.emit({ kind: 'learning-rate', step, value: lr[i]!, ...(groups.length > 1 ? { group: g.name } : {}) }));
        rec!.emit({ kind: 'step-time', step, rank: trainer.strategy.rank, ...timings, samples });
      }
      if (step % c.systemEverySteps === 0) {
        const { procCpu, hostCpu } = usage();
        rec!.emit({ kind: 'system', host, rank: trainer.strategy.rank, cpuPercent: hostCpu, memoryUsedBytes: totalmem() - freemem(), memoryTotalBytes: totalmem(), loadAverage: loadavg() as [number, number, number] });
        status(trainer, 'training', procCpu);
      }
    },
    onEvalEnd({ trainer, epoch, split, result }) {
      if (!active(trainer)) return;
      const step = trainer.step;
      for (const [name, value] of [['loss', result.loss], ['accuracy', result.accuracy], ['f1_macro', result.f1Macro], ['roc_auc', result.rocAucMacro]] as const) {
        // ROC-AUC is undefined (NaN) on a split with a single class: nothing to plot then.
        if (Number.isFinite(value)) rec!.emit({ kind: 'metric', name, value, step, epoch, split });
      }
      const labels = context.classNames?.length === result.confusion.length ? [...context.classNames] : result.confusion.map((_, i) => String(i));
      rec!.emit({ kind: 'confusion-matrix', step, epoch, split, labels, matrix: result.confusion });
    },
    async onEpochEnd({ trainer, epoch }) {
      if (!active(trainer) || c.histogramEveryEpochs === 0 || (epoch + 1) % c.histogramEveryEpochs !== 0) return;
      for (const [name, v] of Object.entries(trainer.model.variables)) {
        if (v.trainable) rec!.emit({ kind: 'histogram', name: `weights/${name}`, step: trainer.step, ...histogramOf(await v.data()) });
      }
    },
    onCheckpoint({ trainer, path, bytes, monitor, best, epoch }) {
      if (!active(trainer)) return;
      const rel = context.runDir ? relative(context.runDir, path) : path;
      rec!.emit({ kind: 'checkpoint', step: trainer.step, epoch, path: rel, bytes, ...(monitor ? { monitor } : {}), best });
    },
    onStop({ trainer, step, earlyStop }) {
      if (!active(trainer) || !earlyStop) return;
      const { stoppedEpoch, ...details } = earlyStop;
      rec!.emit({ kind: 'early-stop', step, epoch: stoppedEpoch, ...details });
    },
    async onTrainEnd({ trainer }) {
      if (!active(trainer)) return;
      rec!.emit({ kind: 'run-end', status: 'completed', step: trainer.step, summary: summary(trainer) });
      status(trainer, 'exited', usage().procCpu);
      await rec!.flush();
    },
    async onError({ trainer, error }) {
      if (!active(trainer)) return;
      rec!.emit({ kind: 'run-end', status: 'failed', error: error.message || String(error), step: trainer.step, summary: summary(trainer) });
      status(trainer, 'failed', usage().procCpu, error.message);
      await rec!.flush();
    },
  };
}

function hostTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}
