// Smoke test of `npm run bench:scaling` (tools/bench/scaling.mjs) on its tiny model: real worker
// processes through launchLocal (1, then 2 over ZeroMQ), 40 measured steps of a few ms each.
// Checks the JSON's fields and that every derived figure is computed from the measured ones; no
// speed is asserted (timing lives in benchmarks, not tests). Runs on the built dist, like the bench.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PARTS = ['dataMs', 'computeMs', 'allReduceMs', 'optimizerMs'] as const;

interface Run {
  workers: number;
  perWorkerBatch: number;
  steps: number;
  seconds: number;
  samplesPerSec: number;
  cpuSamplesPerSec: number;
  stepWallMs: number;
  medianStepMs: number;
  split: Record<(typeof PARTS)[number] | 'totalMs', number>;
  share: Record<(typeof PARTS)[number], number>;
  allReduceFloorMs: number;
  uncoveredMs: number;
}
interface Row {
  batch: number;
  params: number;
  one: Run;
  two: Run;
  strong?: Run & { globalBatch: number; efficiency: number };
  efficiency: number;
  cpuEfficiency: number;
  medianEfficiency: number;
  noSync: Run & { efficiency: number };
  peer?: unknown;
}

describe('bench:scaling', () => {
  it('runs the tiny model on 1 and 2 workers (and 2 that never sync) and writes a table, JSON and SVG whose figures follow from the measurements', () => {
    const out = mkdtempSync(join(tmpdir(), 'scaling-bench-'));
    try {
      const r = spawnSync(process.execPath, ['tools/bench/scaling.mjs', '--models', 'tiny', '--warmup-steps', '5', '--steps', '40', '--repeat', '1', '--out', out], { cwd: root, encoding: 'utf8', timeout: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/\| tiny +\|/);
      const { meta, results } = JSON.parse(readFileSync(join(out, 'scaling.json'), 'utf8')) as { meta: Record<string, unknown>; results: Record<string, Row> };
      expect(meta['scaling']).toMatch(/^weak/);
      expect(meta['commit']).toMatch(/^[0-9a-f]{40}$|^unknown$/);
      expect((meta['loadBefore'] as number[]).length).toBe(3);
      const row = results['tiny']!;
      expect(row.params).toBe(32 * 64 + 64 + 64 * 10);
      expect(row.one.workers).toBe(1);
      expect(row.two.workers).toBe(2);
      expect(row.two.perWorkerBatch).toBe(row.one.perWorkerBatch); // weak scaling
      expect([row.one.steps, row.two.steps]).toEqual([40, 40]);
      expect(row.strong).toBeUndefined(); // --strong not asked for
      expect(row.noSync.workers).toBe(2);
      expect(row.noSync.steps).toBe(40);
      expect(row.peer).toBeUndefined(); // the tiny model has no PyTorch twin
      for (const run of [row.one, row.two, row.noSync]) {
        // Throughput is samples over all workers per wall second of the measured steps.
        expect(run.samplesPerSec).toBeCloseTo((run.workers * run.perWorkerBatch * run.steps) / run.seconds, 6);
        expect(run.stepWallMs).toBeCloseTo((run.seconds * 1000) / run.steps, 6);
        // The median step (slowest rank per step) is one of the measured steps: inside the window.
        expect(run.medianStepMs).toBeGreaterThan(0);
        expect(run.medianStepMs).toBeLessThan(run.seconds * 1000);
        // The Trainer's parts tile its steps; the shares are of the mean step.
        expect(PARTS.reduce((s, p) => s + run.split[p], 0)).toBeCloseTo(run.split.totalMs, 6);
        for (const p of PARTS) expect(run.share[p]).toBeCloseTo(run.split[p] / run.split.totalMs, 9);
        expect(run.uncoveredMs).toBeCloseTo(run.stepWallMs - run.split.totalMs, 6);
        expect(run.allReduceFloorMs).toBeLessThanOrEqual(run.split.allReduceMs + 1e-9);
      }
      expect(row.one.split.allReduceMs).toBe(0);
      expect(row.two.split.allReduceMs).toBeGreaterThan(0);
      expect(row.noSync.split.allReduceMs).toBe(0); // the ceiling run never communicates
      expect(row.noSync.efficiency).toBeCloseTo(row.noSync.samplesPerSec / (2 * row.one.samplesPerSec), 9);
      expect(row.efficiency).toBeCloseTo(row.two.samplesPerSec / (2 * row.one.samplesPerSec), 9);
      expect(row.cpuEfficiency).toBeCloseTo(row.two.cpuSamplesPerSec / (2 * row.one.cpuSamplesPerSec), 9);
      expect(row.medianEfficiency).toBeCloseTo(row.one.medianStepMs / row.two.medianStepMs, 9);
      const svg = readFileSync(join(out, 'scaling.svg'), 'utf8');
      expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).toContain(`${Math.round(100 * row.efficiency)}%`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 150_000);
});
