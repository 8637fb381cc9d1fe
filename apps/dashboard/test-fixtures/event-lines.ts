// Test helper: valid telemetry events of a run, stamped as RunRecorder does, as JSONL text.
import { EVENT_SCHEMA_VERSION, parseEvent, serializeEvent } from '@omnitrain/telemetry';
import type { EventDraft, TelemetryEvent } from '@omnitrain/telemetry';

/** Stamps drafts with v, seq (from `firstSeq`), runId and time, validating each against the contract. */
export function stamp(runId: string, drafts: EventDraft[], firstSeq = 0, time = 1_700_000_000_000): TelemetryEvent[] {
  return drafts.map((draft, i) => parseEvent({ time: time + (firstSeq + i) * 10, ...draft, v: EVENT_SCHEMA_VERSION, seq: firstSeq + i, runId }));
}

/** Events as `events.jsonl` text (each line newline-terminated). */
export function toJsonl(events: TelemetryEvent[]): string {
  return events.map((e) => `${serializeEvent(e)}\n`).join('');
}

/** A run-start draft with the given hparams. */
export function runStart(name: string, hparams: Record<string, number | string | boolean> = {}, group?: string): EventDraft {
  return {
    kind: 'run-start',
    name,
    config: { model: { hidden: 8 }, optim: { lr: hparams.lr ?? 0.01 } },
    hparams,
    backend: { name: 'cpu', tfjsBackend: 'cpu', tfjsVersion: '4.22.0', device: 'CPU' },
    worldSize: 1,
    host: { hostname: 'test', pid: 1, platform: 'linux', arch: 'x64', nodeVersion: 'v20', cpus: 2, memoryBytes: 1 << 30 },
    ...(group === undefined ? {} : { group }),
  };
}

/** Metric drafts `name` on `split` for steps 0..values.length-1. */
export function metricDrafts(name: string, split: 'train' | 'val' | 'test', values: number[], stepOf = (i: number) => i): EventDraft[] {
  return values.map((value, i) => ({ kind: 'metric', name, split, value, step: stepOf(i) }));
}
