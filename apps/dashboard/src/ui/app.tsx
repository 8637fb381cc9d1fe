import { useEffect, useState } from 'preact/hooks';
import { CompareView } from './compare-view.js';
import { RunList } from './run-list.js';
import { RunView } from './run-view.js';
import { TrialsView } from './trials-view.js';

type Tab = 'runs' | 'trials';

/** What the URL hash holds: `#runs=a,b&tab=trials&smooth=0.6`, so a view can be linked and reloaded. */
function readHash(): { selected: string[]; tab: Tab; smoothing: number } {
  const params = new URLSearchParams(location.hash.slice(1));
  const smooth = Number(params.get('smooth') ?? 0.6);
  return {
    selected: (params.get('runs') ?? '').split(',').filter((s) => s !== ''),
    tab: params.get('tab') === 'trials' ? 'trials' : 'runs',
    smoothing: Number.isFinite(smooth) ? Math.min(0.99, Math.max(0, smooth)) : 0.6,
  };
}

/**
 * The dashboard page: the run list on the left; one run, a comparison of several, or the trials of
 * a search on the right; a smoothing slider for every curve.
 *
 * @example render(<App />, document.getElementById('app')!);
 */
export function App() {
  const initial = readHash();
  const [selected, setSelected] = useState<string[]>(initial.selected);
  const [tab, setTab] = useState<Tab>(initial.tab);
  const [smoothing, setSmoothing] = useState(initial.smoothing);
  useEffect(() => {
    const hash = new URLSearchParams({ runs: selected.join(','), tab, smooth: String(smoothing) }).toString();
    history.replaceState(null, '', `#${hash}`);
  }, [selected.join(','), tab, smoothing]);
  useEffect(() => {
    // a pasted or followed link (#runs=...) while the page is open
    const follow = (): void => {
      const next = readHash();
      setSelected(next.selected);
      setTab(next.tab);
      setSmoothing(next.smoothing);
    };
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  const openRun = (id: string): void => { setSelected([id]); setTab('runs'); };
  return (
    <>
      <header>
        <span class="brand">Omnitrain dashboard</span>
        <nav class="tabs">
          <button class={tab === 'runs' ? 'active' : ''} data-tab="runs" onClick={() => setTab('runs')}>runs</button>
          <button class={tab === 'trials' ? 'active' : ''} data-tab="trials" onClick={() => setTab('trials')}>trials</button>
        </nav>
        <label class="smoothing">
          smoothing <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onInput={(e) => setSmoothing(Number((e.target as HTMLInputElement).value))} />
          <span>{smoothing.toFixed(2)}</span>
        </label>
      </header>
      <div class="layout">
        <RunList selected={selected} onSelect={(ids) => { setSelected(ids); setTab('runs'); }} />
        <main>
          {tab === 'trials' && <TrialsView onOpenRun={openRun} />}
          {tab === 'runs' && selected.length === 0 && <p class="muted">Select a run on the left; tick two or more to compare them. Drag across a chart to zoom, double-click to zoom out.</p>}
          {tab === 'runs' && selected.length === 1 && <RunView key={selected[0]} runId={selected[0]!} smoothing={smoothing} />}
          {tab === 'runs' && selected.length > 1 && <CompareView runIds={selected} smoothing={smoothing} />}
        </main>
      </div>
    </>
  );
}
