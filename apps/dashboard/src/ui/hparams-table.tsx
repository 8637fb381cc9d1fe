import type { Run } from './api-types.js';

/**
 * The hyperparameters of one or more runs, one row per run, with `metric`'s final value when given.
 * @example <HparamsTable runs={[runA, runB]} />
 */
export function HparamsTable({ runs, metric }: { runs: Array<Run & { last?: Record<string, number | null> }>; metric?: string }) {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.hparams)))].sort();
  return (
    <div class="card">
      <h3>hyperparameters</h3>
      <table class="hparams">
        <tr><th>run</th>{keys.map((k) => <th key={k}>{k}</th>)}{metric && <th>{metric}</th>}</tr>
        {runs.map((r) => (
          <tr key={r.runId}>
            <td>{r.runId}</td>
            {keys.map((k) => <td key={k}>{String(r.hparams[k] ?? '')}</td>)}
            {metric && <td>{formatValue(r.last?.[metric])}</td>}
          </tr>
        ))}
      </table>
    </div>
  );
}

const formatValue = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(4));
