import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './style.css';

interface Run { runId: string; name: string; state: string; lastStep: number | null; hparams: Record<string, unknown> }
interface SeriesInfo { kind: string; name: string; split: string; label: string; count: number }
interface Series { steps: number[]; values: Array<number | null> }
const COLORS = ['#2680c2', '#e12d39', '#3ebd93', '#f0b429', '#8719e0', '#486581'];
const token = new URLSearchParams(location.search).get('token');
const withToken = (url: string): string => (token ? `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : url);
async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(withToken(url));
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}
const seriesUrl = (runId: string, s: { kind: string; name: string; split: string; label?: string }): string =>
  `/api/runs/${encodeURIComponent(runId)}/series?kind=${s.kind}&name=${encodeURIComponent(s.name)}&split=${encodeURIComponent(s.split)}&label=${encodeURIComponent(s.label ?? '')}&points=2000`;

/** Merges several (steps, values) series onto one shared x axis for uPlot. */
function align(series: Series[]): uPlot.AlignedData {
  const xs = [...new Set(series.flatMap((s) => s.steps))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const y: Array<number | null> = new Array(xs.length).fill(null);
    s.steps.forEach((step, i) => (y[index.get(step)!] = s.values[i] ?? null));
    return y;
  });
  return [xs, ...ys] as uPlot.AlignedData;
}

/** One uPlot chart; `data-points` on the wrapper tells tests how many points are drawn. */
function Chart({ title, labels, data }: { title: string; labels: string[]; data: uPlot.AlignedData }) {
  const ref = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = labels.join('|');
  useEffect(() => {
    const opts: uPlot.Options = {
      width: 440, height: 220, scales: { x: { time: false } }, axes: [{}, { size: 64 }],
      series: [{ label: 'step' }, ...labels.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true }))],
    };
    plot.current = new uPlot(opts, data, ref.current!);
    return () => plot.current?.destroy();
  }, [key]);
  useEffect(() => plot.current?.setData(data), [data]);
  const perLine = data.slice(1).map((y) => (y as Array<number | null>).filter((v) => v !== null).length);
  return (
    <div class="card chart" data-title={title} data-points={perLine.reduce((a, b) => a + b, 0)} data-line-points={perLine.join(',')}>
      <h3>{title}</h3>
      <div ref={ref} />
    </div>
  );
}

function RunList({ selected, onSelect }: { selected: string[]; onSelect: (ids: string[]) => void }) {
  const [filter, setFilter] = useState('');
  const [runs, setRuns] = useState<Run[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    const load = () => getJson<{ runs: Run[] }>(`/api/runs?filter=${encodeURIComponent(filter)}`)
      .then((r) => { if (live) { setRuns(r.runs); setError(''); } })
      .catch((e: Error) => live && setError(e.message));
    void load();
    const timer = setInterval(load, 2000);
    return () => { live = false; clearInterval(timer); };
  }, [filter]);
  const toggle = (id: string, multi: boolean) =>
    onSelect(multi ? (selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]) : [id]);
  return (
    <aside>
      <input class="filter" placeholder="filter: glob or /regex/" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
      {error && <div class="muted">{error}</div>}
      <div class="muted">{runs.length} runs · ctrl/⌘-click or tick to compare</div>
      {runs.map((r) => (
        <div key={r.runId} class={`run${selected.includes(r.runId) ? ' selected' : ''}`} data-run={r.runId} onClick={(e) => toggle(r.runId, e.ctrlKey || e.metaKey)}>
          <input type="checkbox" checked={selected.includes(r.runId)} onClick={(e) => { e.stopPropagation(); toggle(r.runId, true); }} />
          <span>{r.name || r.runId}</span>
          <span class="state">{r.state}{r.lastStep !== null ? ` · ${r.lastStep}` : ''}</span>
        </div>
      ))}
    </aside>
  );
}

/** Calls `onEvent` for every SSE event of the given runs. */
function useStream(runIds: string[], onEvent: () => void) {
  useEffect(() => {
    if (runIds.length === 0) return;
    const source = new EventSource(withToken(`/api/stream?runs=${runIds.map(encodeURIComponent).join(',')}`));
    let pending: ReturnType<typeof setTimeout> | undefined;
    const fire = () => { if (pending === undefined) pending = setTimeout(() => { pending = undefined; onEvent(); }, 250); };
    for (const kind of ['metric', 'learning-rate', 'confusion-matrix', 'run-end', 'run-start', 'worker-status']) source.addEventListener(kind, fire);
    source.onmessage = fire;
    return () => { source.close(); clearTimeout(pending); };
  }, [runIds.join(',')]);
}

interface ChartSpec { title: string; labels: string[]; data: uPlot.AlignedData }

function RunView({ runId }: { runId: string }) {
  const [charts, setCharts] = useState<ChartSpec[]>([]);
  const [detail, setDetail] = useState<(Run & { series: SeriesInfo[] }) | null>(null);
  const [cm, setCm] = useState<{ labels: string[]; matrix: number[][] } | null>(null);
  const [tick, setTick] = useState(0);
  useStream([runId], () => setTick((t) => t + 1));
  useEffect(() => {
    let live = true;
    void (async () => {
      const run = await getJson<Run & { series: SeriesInfo[] }>(`/api/runs/${encodeURIComponent(runId)}`);
      const groups = new Map<string, SeriesInfo[]>();
      for (const s of run.series) {
        const key = s.kind === 'step-time' && s.name.endsWith('Ms') && s.name !== 'totalMs' ? 'step time split (ms)' : `${s.kind}:${s.name}`;
        groups.set(key, [...(groups.get(key) ?? []), s]);
      }
      const specs: ChartSpec[] = [];
      for (const [key, list] of [...groups].sort(([a], [b]) => rank(a) - rank(b))) {
        const data = await Promise.all(list.map((s) => getJson<Series>(seriesUrl(runId, s))));
        specs.push({ title: TITLES[key] ?? key.replace(/^metric:/, ''), labels: list.map((s) => (key.startsWith('step time') ? s.name : [s.split, s.label].filter(Boolean).join(' ') || s.name)), data: align(data) });
      }
      const matrix = await getJson<{ event: { labels: string[]; matrix: number[][] } | null }>(`/api/runs/${encodeURIComponent(runId)}/confusion-matrix`).catch(() => ({ event: null }));
      if (live) { setDetail(run); setCharts(specs); setCm(matrix.event); }
    })().catch(() => undefined);
    return () => { live = false; };
  }, [runId, tick]);
  return (
    <div>
      <h2>{detail?.name || runId} <span class="muted">{detail?.state} · step {detail?.lastStep ?? '–'}</span></h2>
      <div class="grid">
        {charts.map((c) => <Chart key={c.title} {...c} />)}
        {cm && <ConfusionMatrix {...cm} />}
        {detail && Object.keys(detail.hparams).length > 0 && <HparamsTable runs={[detail]} />}
      </div>
    </div>
  );
}
const TITLES: Record<string, string> = { 'step-time:samplesPerSec': 'throughput (samples/s)', 'step-time:totalMs': 'step time total (ms)', 'lr:learning_rate': 'learning rate' };
const rank = (key: string): number => (key === 'metric:loss' ? 0 : key.startsWith('metric:acc') ? 1 : key.startsWith('learning') || key.includes('learning_rate') ? 2 : 3);

function ConfusionMatrix({ labels, matrix }: { labels: string[]; matrix: number[][] }) {
  const max = Math.max(1, ...matrix.flat());
  return (
    <div class="card">
      <h3>confusion matrix (rows: true, columns: predicted)</h3>
      <table class="heat">
        <tr><th />{labels.map((l) => <th key={l}>{l}</th>)}</tr>
        {matrix.map((row, i) => (
          <tr key={i}><th>{labels[i]}</th>{row.map((v, j) => <td key={j} style={{ background: `rgba(38,128,194,${v / max})`, color: v / max > 0.5 ? '#fff' : '#000' }}>{v}</td>)}</tr>
        ))}
      </table>
    </div>
  );
}

function HparamsTable({ runs }: { runs: Run[] }) {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.hparams)))].sort();
  return (
    <div class="card">
      <h3>hyperparameters</h3>
      <table class="hparams">
        <tr><th>run</th>{keys.map((k) => <th key={k}>{k}</th>)}</tr>
        {runs.map((r) => <tr key={r.runId}><td>{r.name || r.runId}</td>{keys.map((k) => <td key={k}>{String(r.hparams[k] ?? '')}</td>)}</tr>)}
      </table>
    </div>
  );
}

function CompareView({ runIds }: { runIds: string[] }) {
  const [chart, setChart] = useState<ChartSpec | null>(null);
  const [runs, setRuns] = useState<Run[]>([]);
  const [tick, setTick] = useState(0);
  useStream(runIds, () => setTick((t) => t + 1));
  useEffect(() => {
    let live = true;
    void (async () => {
      const details = await Promise.all(runIds.map((id) => getJson<Run>(`/api/runs/${encodeURIComponent(id)}`)));
      const data = await Promise.all(runIds.map((id) => getJson<Series>(seriesUrl(id, { kind: 'metric', name: 'loss', split: 'train' })).catch(() => ({ steps: [], values: [] }))));
      if (live) { setRuns(details); setChart({ title: 'train loss (compare)', labels: details.map((d) => d.name || d.runId), data: align(data) }); }
    })().catch(() => undefined);
    return () => { live = false; };
  }, [runIds.join(','), tick]);
  return (
    <div class="grid">
      {chart && <Chart {...chart} />}
      {runs.length > 0 && <HparamsTable runs={runs} />}
    </div>
  );
}

function App() {
  const [selected, setSelected] = useState<string[]>([]);
  return (
    <>
      <header>Omnitrain dashboard</header>
      <div class="layout">
        <RunList selected={selected} onSelect={setSelected} />
        <main>
          {selected.length === 0 && <p class="muted">Select a run on the left; tick two or more to compare them.</p>}
          {selected.length === 1 && <RunView runId={selected[0]!} />}
          {selected.length > 1 && <CompareView runIds={selected} />}
        </main>
      </div>
    </>
  );
}

// The uPlot build, for the in-browser render benchmark of the e2e test.
(window as unknown as { uPlot: typeof uPlot }).uPlot = uPlot;
render(<App />, document.getElementById('app')!);
