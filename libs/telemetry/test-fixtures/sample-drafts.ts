// Test helper: one event draft of every kind, with fresh random numbers.
import { histogramOf } from '@omnitrain/telemetry';
import type { EventDraft } from '@omnitrain/telemetry';

const r = (scale = 1): number => Math.random() * scale;
const int = (max: number): number => Math.floor(Math.random() * max);

/**
 * One draft per event kind, as a trainer would emit them over a short run (run-start first,
 * run-end last), with random measurements.
 *
 * @example for (const draft of sampleDrafts()) recorder.emit(draft);
 */
export function sampleDrafts(): EventDraft[] {
  const step = 1 + int(1000);
  const values = Array.from({ length: 50 }, () => r(2) - 1);
  return [
    {
      kind: 'run-start',
      name: 'tri-modal digits',
      config: { optim: { name: 'adamw', lr: r() }, fusion: 'gated', layers: [64, 32] },
      hparams: { lr: r(), fusion: 'gated', augment: true },
      backend: { name: 'wasm', tfjsBackend: 'wasm', tfjsVersion: '4.22.0', device: 'CPU (wasm, SIMD, 1 thread)', skipped: [] },
      worldSize: 2,
      host: { hostname: 'node-1', pid: 4242, platform: 'linux', arch: 'x64', nodeVersion: 'v20.20.2', cpus: 2, memoryBytes: 8 * 2 ** 30 },
      git: { commit: 'abc123', branch: 'main', dirty: false },
    },
    { kind: 'metric', name: 'loss', value: r(3), step, epoch: 1, split: 'train' },
    { kind: 'metric', name: 'accuracy', value: r(), step, epoch: 1, split: 'val', rank: 1 },
    { kind: 'learning-rate', step, value: r(0.01) },
    { kind: 'step-time', step, rank: 0, computeMs: r(50), dataMs: r(5), allReduceMs: r(10), optimizerMs: r(2), totalMs: 70, samples: 32 },
    { kind: 'worker-status', rank: 1, host: 'node-2', pid: 99, state: 'training', cpuPercent: r(200), rssBytes: int(2 ** 31), step },
    { kind: 'system', host: 'node-1', cpuPercent: r(100), memoryUsedBytes: int(2 ** 32), memoryTotalBytes: 2 ** 33, loadAverage: [r(), r(), r()] },
    { kind: 'confusion-matrix', step, split: 'val', labels: ['zero', 'one'], matrix: [[int(50), int(5)], [int(5), int(50)]] },
    {
      kind: 'samples',
      step,
      split: 'test',
      items: [{ id: 'img/7.png', label: 'seven', predicted: 'one', confidence: r(), image: 'samples/7.png', audio: 'samples/7.wav', text: 'seven' }],
    },
    { kind: 'histogram', name: 'weights/dense/kernel', step, ...histogramOf(values, 8) },
    { kind: 'checkpoint', step, epoch: 1, path: 'checkpoints/last.safetensors', bytes: int(2 ** 20), monitor: { name: 'val/loss', value: r() }, best: true },
    { kind: 'early-stop', step, epoch: 3, monitor: 'val/loss', mode: 'min', bestValue: r(), bestEpoch: 1, patience: 2, restoredBest: true },
    { kind: 'trial', searchId: 'search-1', trialId: 't3', state: 'completed', params: { lr: r(), layers: 2 }, objective: { name: 'val/accuracy', value: r(), mode: 'max' } },
    { kind: 'run-end', status: 'completed', step, summary: { 'val/accuracy': r() } },
  ];
}
