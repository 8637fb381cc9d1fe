import { useEffect, useState } from 'preact/hooks';
import { getJson } from './api-client.js';
import type { TrialRecord } from './api-types.js';
import { useStream } from './use-stream.js';

const STATE_COLORS: Record<string, string> = { completed: '#2680c2', running: '#3ebd93', started: '#9fb3c8', pruned: '#f0b429', failed: '#e12d39' };

/**
 * The trials of a search: a table (state, params, objective, run) and each trial's objective over
 * time with the best so far; pruned trials in amber, failed in red.
 *
 * @example <TrialsView onOpenRun={(id) => select([id])} />
 */
export function TrialsView({ onOpenRun }: { onOpenRun: (runId: string) => void }) {
  const [data, setData] = useState<{ trials: TrialRecord[]; history: TrialRecord[] }>({ trials: [], history: [] });
  const [search, setSearch] = useState('');
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  useStream(undefined, () => setTick((t) => t + 1));
  useEffect(() => {
    let live = true;
    getJson<{ trials: TrialRecord[]; history: TrialRecord[] }>(`/api/trials${search ? `?search=${encodeURIComponent(search)}` : ''}`)
      .then((r) => { if (live) { setData(r); setError(''); } })
      .catch((e: Error) => live && setError(e.message));
    return () => { live = false; };
  }, [search, tick]);
  const searches = [...new Set(data.trials.map((t) => t.event.searchId))];
  const shown = search ? data.trials : data.trials.filter((t) => t.event.searchId === (searches[0] ?? ''));
  const history = data.history.filter((t) => t.event.searchId === (search || searches[0]));
  const params = [...new Set(shown.flatMap((t) => Object.keys(t.event.params)))].sort();
  return (
    <div class="trials">
      <div class="toolbar">
        search{' '}
        <select value={search || searches[0]} onChange={(e) => setSearch((e.target as HTMLSelectElement).value)}>
          {searches.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>{' '}
        <span class="muted">{shown.length} trials · {count(shown, 'completed')} completed · {count(shown, 'pruned')} pruned · {count(shown, 'failed')} failed</span>
      </div>
      {error && <div class="error">{error}</div>}
      {shown.length === 0 && !error && <p class="muted">No trials yet. A search (<code>omnitrain tune</code>) reports its trials here.</p>}
      {history.length > 0 && <ObjectivePlot history={history} />}
      {shown.length > 0 && (
        <div class="card">
          <h3>trials</h3>
          <table class="trial-table">
            <tr><th>trial</th><th>state</th>{params.map((p) => <th key={p}>{p}</th>)}<th>{shown.find((t) => t.event.objective)?.event.objective?.name ?? 'objective'}</th><th>step</th><th>run</th></tr>
            {shown.map((t) => (
              <tr key={t.event.trialId} data-trial={t.event.trialId} class={`trial-${t.event.state}`}>
                <td>{t.event.trialId}</td>
                <td style={{ color: STATE_COLORS[t.event.state] }} title={t.event.error ?? ''}>{t.event.state}{t.event.error ? ` – ${t.event.error}` : ''}</td>
                {params.map((p) => <td key={p}>{formatParam(t.event.params[p])}</td>)}
                <td>{t.event.objective ? t.event.objective.value.toPrecision(4) : '–'}</td>
                <td>{t.event.step ?? '–'}</td>
                <td>{t.event.trialRunId ? <button class="link" onClick={() => onOpenRun(t.event.trialRunId!)}>{t.event.trialRunId}</button> : t.runId}</td>
              </tr>
            ))}
          </table>
        </div>
      )}
    </div>
  );
}

const formatParam = (v: unknown): string => (typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toPrecision(4))) : String(v ?? ''));

const count = (trials: TrialRecord[], state: string): number => trials.filter((t) => t.event.state === state).length;

/** Objective of every trial event over time (s since the first), and the best so far. */
function ObjectivePlot({ history }: { history: TrialRecord[] }) {
  const points = history.filter((h) => h.event.objective !== undefined && Number.isFinite(h.event.objective.value));
  if (points.length === 0) return null;
  const width = 640;
  const height = 220;
  const pad = 40;
  const t0 = points[0]!.event.time;
  const ts = points.map((p) => (p.event.time - t0) / 1000);
  const vs = points.map((p) => p.event.objective!.value);
  const [tMax, vMin, vMax] = [Math.max(...ts, 1e-9), Math.min(...vs), Math.max(...vs)];
  const x = (t: number): number => pad + (t / tMax) * (width - 2 * pad);
  const y = (v: number): number => height - pad + ((vMin - v) / (vMax - vMin || 1)) * (height - 2 * pad);
  const maximize = points[0]!.event.objective!.mode === 'max';
  let best = Number.NaN;
  const bestPath = points
    .map((p, i) => {
      if (p.event.state !== 'completed') return null;
      const v = vs[i]!;
      if (Number.isNaN(best) || (maximize ? v > best : v < best)) best = v;
      return `${x(ts[i]!)},${y(best)}`;
    })
    .filter((p) => p !== null);
  return (
    <div class="card">
      <h3>{points[0]!.event.objective!.name} per trial over time ({maximize ? 'max' : 'min'}; line: best completed so far)</h3>
      <svg class="objective" width={width} height={height}>
        <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} stroke="#9fb3c8" />
        <line x1={pad} x2={pad} y1={pad} y2={height - pad} stroke="#9fb3c8" />
        <text x={pad} y={height - 12} class="tick">0 s</text>
        <text x={width - pad} y={height - 12} class="tick" text-anchor="end">{tMax.toFixed(1)} s</text>
        <text x={4} y={pad} class="tick">{vMax.toPrecision(3)}</text>
        <text x={4} y={height - pad} class="tick">{vMin.toPrecision(3)}</text>
        {bestPath.length > 1 && <polyline points={bestPath.join(' ')} fill="none" stroke="#243b53" stroke-width={1.5} />}
        {points.map((p, i) => (
          <circle key={i} cx={x(ts[i]!)} cy={y(vs[i]!)} r={4} fill={STATE_COLORS[p.event.state] ?? '#829ab1'} data-state={p.event.state}>
            <title>{`${p.event.trialId} ${p.event.state}: ${vs[i]}`}</title>
          </circle>
        ))}
      </svg>
    </div>
  );
}
