import type { TelemetryEvent } from '@omnitrain/telemetry';

/** Which family a series belongs to; system and worker series are indexed by time (ms), the others by step. */
export type SeriesKind = 'metric' | 'lr' | 'step-time' | 'system' | 'worker';

/** Names one series of a run. */
export interface SeriesKey {
  kind: SeriesKind;
  /** Metric name (`loss`), step-time part (`computeMs`), system field (`cpuPercent`), ... */
  name: string;
  /** `train`, `val`, `test`, or '' where splits do not apply. */
  split: string;
  /** Rank (`rank1`), host, or parameter group; '' for the run as a whole. */
  label: string;
}

/** One value an event adds to a series. */
export interface SeriesPoint {
  key: SeriesKey;
  /** The step; for system and worker series, the event's time in ms. */
  step: number;
  value: number;
  epoch?: number;
}

/**
 * The series points an event adds: a metric (per split and rank), the learning rate (per group),
 * the step-time parts and throughput (per rank), system use (per host) and worker use (per rank).
 * Shared by the store (what it indexes) and the UI (what a live event appends to a chart).
 *
 * @example
 * pointsOf(metricEvent); // [{ key: { kind: 'metric', name: 'loss', split: 'train', label: '' }, step: 3, value: 0.7 }]
 */
export function pointsOf(event: TelemetryEvent): SeriesPoint[] {
  const rankLabel = (rank: number | undefined): string => (rank === undefined ? '' : `rank${rank}`);
  switch (event.kind) {
    case 'metric':
      return [{ key: { kind: 'metric', name: event.name, split: event.split, label: rankLabel(event.rank) }, step: event.step, value: event.value, epoch: event.epoch }];
    case 'learning-rate':
      return [{ key: { kind: 'lr', name: 'learning_rate', split: '', label: event.group ?? '' }, step: event.step, value: event.value }];
    case 'step-time': {
      const label = rankLabel(event.rank);
      const parts = ['computeMs', 'dataMs', 'allReduceMs', 'optimizerMs', 'totalMs'] as const;
      const points: SeriesPoint[] = parts.map((name) => ({ key: { kind: 'step-time', name, split: '', label }, step: event.step, value: event[name] }));
      if (event.samples !== undefined && event.totalMs > 0) {
        points.push({ key: { kind: 'step-time', name: 'samplesPerSec', split: '', label }, step: event.step, value: (event.samples * 1000) / event.totalMs });
      }
      return points;
    }
    case 'system': {
      const label = event.rank === undefined ? event.host : `${event.host}/rank${event.rank}`;
      const fields = ['cpuPercent', 'memoryUsedBytes', 'memoryTotalBytes'] as const;
      return fields.map((name) => ({ key: { kind: 'system', name, split: '', label }, step: Math.round(event.time), value: event[name] }));
    }
    case 'worker-status': {
      const label = rankLabel(event.rank);
      return (['cpuPercent', 'rssBytes'] as const).map((name) => ({ key: { kind: 'worker', name, split: '', label }, step: Math.round(event.time), value: event[name] }));
    }
    default:
      return [];
  }
}

