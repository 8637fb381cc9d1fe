import { useEffect, useState } from 'preact/hooks';
import { getJson } from './api-client.js';
import type { Run } from './api-types.js';
import { HparamsTable } from './hparams-table.js';
import { ParallelCoordinates } from './parallel-coordinates.js';
import { SeriesChart } from './series-chart.js';
import { useStream } from './use-stream.js';

type Compared = Run & { last: Record<string, number | null> };

/**
 * Several runs side by side: their train loss (and a chosen metric) on one chart, the hparams
 * table with the final metric, and parallel coordinates of hparams vs that metric.
 *
 * @example <CompareView runIds={['run-a', 'run-b']} smoothing={0.6} />
 */
export function CompareView({ runIds, smoothing }: { runIds: string[]; smoothing: number }) {
  const [runs, setRuns] = useState<Compared[]>([]);
  const [error, setError] = useState('');
  const [metric, setMetric] = useState('');
  const [tick, setTick] = useState(0);
  useStream(runIds, () => setTick((t) => t + 1));
  useEffect(() => {
    let live = true;
    getJson<{ runs: Compared[] }>(`/api/compare?runs=${runIds.map(encodeURIComponent).join(',')}`)
      .then((r) => { if (live) { setRuns(r.runs); setError(''); } })
      .catch((e: Error) => live && setError(e.message));
    return () => { live = false; };
  }, [runIds.join(','), tick]);
  if (error) return <div class="card error">{error}</div>;
  const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.last)))].sort();
  const chosen = metric || (metrics.find((m) => m === 'val/accuracy') ?? metrics.find((m) => m.endsWith('/loss')) ?? metrics[0] ?? '');
  // axes where the runs differ (a value they all share says nothing here)
  const hparams = [...new Set(runs.flatMap((r) => Object.keys(r.hparams)))].sort().filter((k) => new Set(runs.map((r) => String(r.hparams[k]))).size > 1);
  const line = (name: string, split: string) => runIds.map((id) => ({ runId: id, series: { kind: 'metric', name, split, label: '' }, label: id }));
  const [split, name] = chosen.split('/') as [string, string];
  return (
    <div>
      <div class="toolbar">
        metric{' '}
        <select class="metric-select" value={chosen} onChange={(e) => setMetric((e.target as HTMLSelectElement).value)}>
          {metrics.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </div>
      <div class="grid">
        <SeriesChart title="train loss (compare)" lines={line('loss', 'train')} tick={tick} smoothing={smoothing} />
        {chosen && chosen !== 'train/loss' && <SeriesChart title={`${chosen} (compare)`} lines={line(name, split)} tick={tick} smoothing={smoothing} />}
        {runs.length > 0 && <HparamsTable runs={runs} metric={chosen} />}
        {runs.length > 1 && hparams.length > 0 && chosen && (
          <ParallelCoordinates rows={runs.map((r) => ({ id: r.runId, label: r.runId, values: { ...r.hparams, [chosen]: r.last[chosen] } }))} axes={[...hparams, chosen]} colorBy={chosen} />
        )}
      </div>
    </div>
  );
}
