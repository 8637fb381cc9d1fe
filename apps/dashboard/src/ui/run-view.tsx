import { useEffect, useState } from 'preact/hooks';
import { getJson } from './api-client.js';
import type { RunDetail, SeriesInfo } from './api-types.js';
import { ConfusionMatrix } from './confusion-matrix.js';
import { HparamsTable } from './hparams-table.js';
import { SamplesPanel } from './samples-panel.js';
import { SeriesChart } from './series-chart.js';
import type { SeriesLine } from './series-chart.js';
import { useStream } from './use-stream.js';
import { WorkerTable } from './worker-table.js';

/** One chart of a run: a title and the series it draws. */
interface ChartGroup {
  title: string;
  lines: SeriesLine[];
  order: number;
  scale?: number;
  time?: boolean;
}

const MiB = 1 / (1024 * 1024);
const SPLIT_PARTS = new Set(['computeMs', 'dataMs', 'allReduceMs', 'optimizerMs']);

/** Groups a run's series into charts: each metric (train and val together), learning rate, step-time split, throughput, CPU, memory. */
function groupsOf(runId: string, series: SeriesInfo[]): ChartGroup[] {
  const groups = new Map<string, ChartGroup>();
  const add = (title: string, order: number, s: SeriesInfo, label: string, extra: Partial<ChartGroup> = {}): void => {
    const group = groups.get(title) ?? { title, lines: [], order, ...extra };
    group.lines.push({ runId, series: s, label });
    groups.set(title, group);
  };
  const suffix = (s: SeriesInfo): string => (s.label ? ` ${s.label}` : '');
  for (const s of series) {
    if (s.kind === 'metric') add(s.name, s.name === 'loss' ? 0 : s.name.startsWith('acc') ? 1 : 3, s, `${s.split}${suffix(s)}`);
    else if (s.kind === 'lr') add('learning rate', 2, s, s.label || 'lr');
    else if (s.kind === 'step-time' && SPLIT_PARTS.has(s.name)) add('step time split (ms)', 4, s, `${s.name.replace(/Ms$/, '')}${suffix(s)}`);
    else if (s.kind === 'step-time' && s.name === 'samplesPerSec') add('throughput (samples/s)', 5, s, s.label || 'samples/s');
    else if (s.kind === 'step-time' && s.name === 'totalMs') add('step time total (ms)', 6, s, s.label || 'total');
    else if ((s.kind === 'system' || s.kind === 'worker') && s.name === 'cpuPercent') add('CPU %', 7, s, `${s.kind === 'worker' ? 'worker ' : ''}${s.label}`, { time: true });
    else if ((s.kind === 'system' && s.name === 'memoryUsedBytes') || (s.kind === 'worker' && s.name === 'rssBytes'))
      add('memory (MiB)', 8, s, `${s.kind === 'worker' ? 'rss ' : 'used '}${s.label}`, { time: true, scale: MiB });
  }
  return [...groups.values()].sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
}

/**
 * Everything about one run, live: curves (smoothed, zoomable), learning rate, step-time split,
 * throughput, system metrics, workers, confusion matrix, sample predictions, hyperparameters, and
 * the ingest problems (a corrupt or half-written log) of the run.
 *
 * @example <RunView runId="run-a" smoothing={0.6} />
 */
export function RunView({ runId, smoothing }: { runId: string; smoothing: number }) {
  const [detail, setDetail] = useState<RunDetail | null>(null);
  const [error, setError] = useState('');
  const [cm, setCm] = useState<{ labels: string[]; matrix: number[][]; step: number } | null>(null);
  const [tick, setTick] = useState(0);
  useStream([runId], () => setTick((t) => t + 1));
  useEffect(() => {
    let live = true;
    Promise.all([
      getJson<RunDetail>(`/api/runs/${encodeURIComponent(runId)}`),
      getJson<{ event: { labels: string[]; matrix: number[][]; step: number } | null }>(`/api/runs/${encodeURIComponent(runId)}/confusion-matrix`).catch(() => ({ event: null })),
    ])
      .then(([run, matrix]) => { if (live) { setDetail(run); setCm(matrix.event); setError(''); } })
      .catch((e: Error) => { if (live) setError(e.message); });
    return () => { live = false; };
  }, [runId, tick]);
  if (error) return <div class="card error run-error" data-run-error={runId}>Run “{runId}”: {error}</div>;
  if (detail === null) return <p class="muted">loading {runId}…</p>;
  const groups = groupsOf(runId, detail.series);
  return (
    <div>
      <h2>
        {detail.name || runId} <span class={`muted state-${detail.state}`}>{detail.state} · step {detail.lastStep ?? '–'}</span>
      </h2>
      {detail.error && <div class="card error">run failed: {detail.error}</div>}
      {(detail.tornBytes > 0 || detail.recentProblems.length > 0) && (
        <div class="card warning problems">
          {detail.tornBytes > 0 && <div>events.jsonl ends in a half-written line ({detail.tornBytes} bytes): skipped until it is complete.</div>}
          {detail.recentProblems.slice(0, 5).map((p, i) => <div key={i}>{p.message}</div>)}
        </div>
      )}
      {detail.state === 'no-log' && <p class="muted">This run folder has no events.jsonl yet.</p>}
      <div class="grid">
        {groups.map((g) => <SeriesChart key={g.title} title={g.title} lines={g.lines} tick={tick} smoothing={g.time ? 0 : smoothing} scale={g.scale} time={g.time} />)}
        {detail.workers.length > 0 && <WorkerTable workers={detail.workers} />}
        {cm && <ConfusionMatrix {...cm} />}
        <SamplesPanel runId={runId} tick={tick} />
        {Object.keys(detail.hparams).length > 0 && <HparamsTable runs={[detail]} />}
      </div>
    </div>
  );
}
