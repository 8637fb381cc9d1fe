// Scale: 1,000 runs and one run of 1,000,000 points. Timings are printed (the machine is shared);
// the assertions are on correctness: point-count bounds and that the min/max envelope keeps the
// extremes of the raw data (the oracle: the raw arrays, scanned here).
import { join } from 'node:path';
import { startDashboard } from '@omnitrain/dashboard';
import type { DashboardServer } from '@omnitrain/dashboard';
import type { TelemetryEvent } from '@omnitrain/telemetry';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runStart, stamp } from '../../test-fixtures/event-lines.js';
import { tempDir } from '../../test-fixtures/temp-dir.js';

interface SeriesAnswer { steps: number[]; values: Array<number | null>; total: number; count: number; downsampled: boolean }

async function getJson<T>(dashboard: DashboardServer, path: string): Promise<{ body: T; ms: number }> {
  const t0 = performance.now();
  const response = await fetch(new URL(path, dashboard.url));
  const body = (await response.json()) as T;
  expect(response.status, JSON.stringify(body).slice(0, 300)).toBe(200);
  return { body, ms: performance.now() - t0 };
}

/** Metric events built without per-event validation (a million zod parses would dominate the test). */
function metricEvents(runId: string, firstSeq: number, steps: Float64Array, values: Float64Array, from: number, to: number): TelemetryEvent[] {
  const out: TelemetryEvent[] = [];
  for (let i = from; i < to; i++) out.push({ v: 1, seq: firstSeq + i, runId, time: 1_700_000_000_000 + i, kind: 'metric', name: 'loss', split: 'train', step: steps[i]!, value: values[i]! });
  return out;
}

function rawExtremes(steps: Float64Array, values: Float64Array, from: number, to: number): { min: number; max: number; n: number } {
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  for (let i = 0; i < steps.length; i++) {
    if (steps[i]! < from || steps[i]! > to) continue;
    n += 1;
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  return { min, max, n };
}

describe('dashboard at scale', () => {
  it('lists and filters 1,000 runs and serves a 1,000,000-point series downsampled with its extremes kept', async () => {
    const runsDir = await tempDir();
    const dashboard = await startDashboard({ runsDir: join(runsDir, 'runs'), pollMs: 60_000 });
    onTestFinished(() => dashboard.close());

    let t0 = performance.now();
    const lrs = [0.1, 0.03, 0.01, 0.003];
    for (let r = 0; r < 1000; r++) {
      const id = `sweep-${String(r).padStart(4, '0')}-${r % 2 === 0 ? 'adam' : 'sgd'}`;
      dashboard.store.ingest(id, stamp(id, [runStart(id, { lr: lrs[r % 4]!, seed: r }), { kind: 'metric', name: 'loss', split: 'train', step: 0, value: Math.random() }]), 'http');
    }
    const ingestRunsMs = performance.now() - t0;

    const n = 1_000_000;
    const steps = new Float64Array(n);
    const values = new Float64Array(n);
    let walk = 0;
    for (let i = 0; i < n; i++) {
      steps[i] = i * 3 + (i % 7 === 0 ? 1 : 0); // irregular spacing
      walk += Math.random() - 0.5;
      values[i] = walk;
    }
    // a spike and a dip far outside the walk: one point each, that a naive stride would miss
    const spike = 1 + Math.floor(Math.random() * (n - 2));
    const dip = (spike + 1 + Math.floor(Math.random() * (n - 3))) % n;
    values[spike] = 1e6;
    values[dip] = -1e6;
    t0 = performance.now();
    dashboard.store.ingest('long', stamp('long', [runStart('long', { lr: 0.1 })]), 'http');
    for (let i = 0; i < n; i += 100_000) dashboard.store.ingest('long', metricEvents('long', 1, steps, values, i, Math.min(n, i + 100_000)), 'http');
    const ingestPointsMs = performance.now() - t0;

    const all = await getJson<{ total: number; matched: number; runs: unknown[] }>(dashboard, '/api/runs');
    expect(all.body.total).toBe(1001);
    const glob = await getJson<{ matched: number }>(dashboard, `/api/runs?filter=${encodeURIComponent('sweep-00*-adam')}`);
    expect(glob.body.matched).toBe(50); // r = 0..98, even
    const regex = await getJson<{ matched: number; runs: Array<{ runId: string }> }>(dashboard, `/api/runs?filter=${encodeURIComponent('/^sweep-09\\d\\d-sgd$/')}&limit=10`);
    expect(regex.body.matched).toBe(50);
    expect(regex.body.runs).toHaveLength(10);

    const points = 2000;
    const first = await getJson<SeriesAnswer>(dashboard, `/api/runs/long/series?name=loss&points=${points}`);
    const again = await getJson<SeriesAnswer>(dashboard, `/api/runs/long/series?name=loss&points=${points}`);
    const body = again.body;
    expect(body).toMatchObject({ count: n, total: n, downsampled: true });
    expect(body.steps.length).toBeLessThanOrEqual(points);
    expect(body.steps.length).toBeGreaterThan(points / 2);
    for (const [k, step] of body.steps.entries()) expect(body.values[k]).toBe(values[Math.floor(step / 3)]); // every point is a raw point (step 3i or 3i+1)
    expect(Math.max(...(body.values as number[]))).toBe(1e6);
    expect(Math.min(...(body.values as number[]))).toBe(-1e6);
    expect(body.steps[0]).toBe(steps[0]);
    expect(body.steps.at(-1)).toBe(steps[n - 1]);

    // zoomed windows: extremes of each window kept; a small window comes back at full resolution
    const zoomMs: number[] = [];
    for (let w = 0; w < 5; w++) {
      const a = Math.floor(Math.random() * steps[n - 1]! * 0.9);
      const b = a + Math.floor(steps[n - 1]! * (w === 0 ? 0.01 : 0.1));
      const oracle = rawExtremes(steps, values, a, b);
      const zoom = await getJson<SeriesAnswer>(dashboard, `/api/runs/long/series?name=loss&points=${points}&from=${a}&to=${b}`);
      zoomMs.push(zoom.ms);
      expect(zoom.body.total).toBe(oracle.n);
      expect(zoom.body.steps.length).toBeLessThanOrEqual(points);
      expect(Math.min(...(zoom.body.values as number[]))).toBe(oracle.min);
      expect(Math.max(...(zoom.body.values as number[]))).toBe(oracle.max);
      expect(zoom.body.steps[0]).toBeGreaterThanOrEqual(a);
      expect(zoom.body.steps.at(-1)).toBeLessThanOrEqual(b);
      const full = await getJson<SeriesAnswer>(dashboard, `/api/runs/long/series?name=loss&points=${oracle.n}&from=${a}&to=${b}`);
      expect(full.body.downsampled).toBe(false);
      expect(full.body.steps).toHaveLength(oracle.n);
    }
    console.log(
      [
        `dashboard scale: ingest 1000 runs ${ingestRunsMs.toFixed(0)} ms, 1M points ${ingestPointsMs.toFixed(0)} ms`,
        `list 1001 runs ${all.ms.toFixed(1)} ms, glob filter ${glob.ms.toFixed(1)} ms, regex filter ${regex.ms.toFixed(1)} ms`,
        `1M-point series -> ${body.steps.length} points: first ${first.ms.toFixed(0)} ms (reads SQLite), cached ${again.ms.toFixed(1)} ms; zoomed ${zoomMs.map((m) => m.toFixed(1)).join(', ')} ms`,
      ].join('\n'),
    );
  }, 60_000);
});
