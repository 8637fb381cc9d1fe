import { useEffect, useState } from 'preact/hooks';
import { getJson } from './api-client.js';
import type { Run } from './api-types.js';

/** Props of {@link RunList}. */
export interface RunListProps {
  selected: string[];
  onSelect: (ids: string[]) => void;
}

/**
 * The run list: a glob or `/regex/` filter (applied by the server), refreshed every 2 s; click
 * selects one run, ctrl/⌘-click or the checkbox adds runs to a comparison.
 *
 * @example <RunList selected={['run-a']} onSelect={setSelected} />
 */
export function RunList({ selected, onSelect }: RunListProps) {
  const [filter, setFilter] = useState('');
  const [list, setList] = useState<{ runs: Run[]; total: number; matched: number }>({ runs: [], total: 0, matched: 0 });
  const [error, setError] = useState('');
  const [runsDir, setRunsDir] = useState('');
  useEffect(() => {
    void getJson<{ runsDir: string | null }>('/api/health').then((h) => setRunsDir(h.runsDir ?? '')).catch(() => undefined);
  }, []);
  useEffect(() => {
    let live = true;
    const load = (): Promise<void> =>
      getJson<{ runs: Run[]; total: number; matched: number }>(`/api/runs?limit=500&filter=${encodeURIComponent(filter)}`)
        .then((r) => { if (live) { setList(r); setError(''); } })
        .catch((e: Error) => { if (live) setError(e.message); });
    void load();
    const timer = setInterval(load, 2000);
    return () => { live = false; clearInterval(timer); };
  }, [filter]);
  const toggle = (id: string, multi: boolean): void =>
    onSelect(multi ? (selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]) : [id]);
  return (
    <aside>
      <input class="filter" placeholder="filter: glob or /regex/" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
      {error && <div class="error">{error}</div>}
      <div class="muted">
        {list.matched} of {list.total} runs{list.runs.length < list.matched ? ` (first ${list.runs.length} shown)` : ''} · ctrl/⌘-click or tick to compare
      </div>
      {list.total === 0 && !error && (
        <div class="muted empty">No runs yet in {runsDir || 'the runs folder'}. Start one: <code>omnitrain train run.yaml</code></div>
      )}
      {list.runs.map((r) => (
        <div key={r.runId} class={`run${selected.includes(r.runId) ? ' selected' : ''}`} data-run={r.runId} onClick={(e) => toggle(r.runId, e.ctrlKey || e.metaKey)}>
          <input type="checkbox" checked={selected.includes(r.runId)} onClick={(e) => { e.stopPropagation(); toggle(r.runId, true); }} />
          <span class="name" title={r.name}>{r.runId}{r.name && r.name !== r.runId && <span class="muted"> {r.name}</span>}</span>
          <span class={`state state-${r.state}`}>{r.state}{r.lastStep !== null ? ` · ${r.lastStep}` : ''}</span>
        </div>
      ))}
    </aside>
  );
}
