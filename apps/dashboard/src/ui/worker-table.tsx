import type { WorkerStatus } from './api-types.js';

const MiB = 1024 * 1024;

/**
 * Per-worker status: rank, host, state, step, CPU and resident memory; stalled and failed workers in red.
 * @example <WorkerTable workers={run.workers} />
 */
export function WorkerTable({ workers }: { workers: WorkerStatus[] }) {
  return (
    <div class="card">
      <h3>workers</h3>
      <table class="workers">
        <tr><th>rank</th><th>host</th><th>pid</th><th>state</th><th>step</th><th>cpu %</th><th>rss MiB</th><th>seen</th></tr>
        {workers.map((w) => (
          <tr key={w.rank} data-rank={w.rank} class={w.state === 'stalled' || w.state === 'failed' ? 'bad' : ''} title={w.message ?? ''}>
            <td>{w.rank}</td>
            <td>{w.host}</td>
            <td>{w.pid}</td>
            <td class="worker-state">{w.state}{w.message ? ` – ${w.message}` : ''}</td>
            <td>{w.step ?? '–'}</td>
            <td>{w.cpuPercent.toFixed(0)}</td>
            <td>{(w.rssBytes / MiB).toFixed(0)}</td>
            <td>{new Date(w.time).toLocaleTimeString()}</td>
          </tr>
        ))}
      </table>
    </div>
  );
}
