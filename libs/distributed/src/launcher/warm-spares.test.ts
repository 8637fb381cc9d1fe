import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { launchLocal, restartTimer } from '@omnitrain/distributed';
import type { LaunchEvent } from '@omnitrain/distributed';
import { isAlive } from '../../test-fixtures/is-alive.js';

const rand = (k: number): number => Math.floor(Math.random() * k);

// A worker that marks every start phase (a few ms apart), reports whether the spare's import ran in
// its process, then either exits 0 (attempt >= FAIL_UNTIL) or waits to be killed.
const WORKER = `
const e = process.env;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
console.log('warm=' + (globalThis.__spareImported === true) + ' restart=' + e.OMNITRAIN_RESTART + ' port=' + e.MASTER_PORT);
for (const p of ['main', 'backend', 'rendezvous', 'task', 'trainer', 'resume', 'first-step']) {
  await sleep(5 + Math.random() * 20);
  process.stderr.write('@omnitrain-phase ' + p + ' ' + (performance.timeOrigin + performance.now()) + '\\n');
}
if (Number(e.OMNITRAIN_RESTART) < Number(e.FAIL_UNTIL)) await sleep(60000);
`;
const IMPORT = `data:text/javascript,globalThis.__spareImported = true;`;

describe('launchGroup warm spares and restart timing', () => {
  it('a restart runs on warm spares (imports done before the failure), timed phase by phase; unused spares exit with the launch', async () => {
    const nproc = 2 + rand(2);
    const events: Array<{ e: LaunchEvent; at: number }> = [];
    const timer = restartTimer();
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    let killed: number | undefined;
    const summary = await launchLocal({
      nproc,
      command: process.execPath,
      args: ['--input-type=module', '-e', WORKER],
      env: { FAIL_UNTIL: '1' },
      maxRestarts: 2,
      graceMs: 1000,
      warmSpares: { imports: [IMPORT] },
      stdout: out,
      stderr: out,
      onEvent: (e) => {
        events.push({ e, at: Date.now() });
        timer.onEvent(e);
        // Fail a random rank of attempt 1 once the spares for restart 1 have imported.
        if (e.type === 'spares-ready' && e.attempt === 1) {
          const start = events.find((x) => x.e.type === 'start')!.e as Extract<LaunchEvent, { type: 'start' }>;
          killed = rand(nproc);
          process.kill(start.pids[killed]!, 'SIGKILL');
        }
      },
    });
    expect(killed).toBeDefined();
    expect(summary.restarts).toBe(1);
    expect(summary.attempts[0]!.failedRank).toBe(killed);
    const starts = events.map((x) => x.e).filter((e): e is Extract<LaunchEvent, { type: 'start' }> => e.type === 'start');
    const spares = events.map((x) => x.e).filter((e): e is Extract<LaunchEvent, { type: 'spares' }> => e.type === 'spares');
    // Restart 1 ran on the spares spawned during attempt 1; attempt 2 spawned spares for restart 2, never used.
    expect(spares.map((s) => s.attempt)).toEqual([1, 2]);
    expect(starts[1]!.pids).toEqual(spares[0]!.pids);
    expect(starts[1]!.warm).toBe(nproc);
    expect(starts[0]!.warm).toBeUndefined();
    const lines = text.split('\n');
    for (let r = 0; r < nproc; r++) {
      expect(lines).toContain(`[rank ${r}] warm=false restart=0 port=${starts[0]!.port}`);
      expect(lines).toContain(`[rank ${r}] warm=true restart=1 port=${starts[1]!.port}`);
    }
    expect(text).not.toContain('@omnitrain-phase'); // marks are taken out of the output
    expect(spares[1]!.pids.filter(isAlive)).toEqual([]); // no orphans
    // The timing: detection -> first step, split into parts that add up (model + data excluded).
    const [t] = timer.timings();
    expect(t).toBeDefined();
    expect(t!.failedRank).toBe(killed);
    const parts = [t!.teardownMs, t!.respawnMs, t!.processMs, t!.backendMs, t!.rendezvousMs, t!.setupMs, t!.checkpointLoadMs, t!.firstStepMs];
    for (const p of parts) expect(p).toBeGreaterThanOrEqual(0);
    expect(t!.modelDataMs).toBeGreaterThan(0);
    expect(parts.reduce((a, b) => a! + b!, 0)).toBeCloseTo(t!.totalMs!, 6);
    // Oracle for the total: the slowest rank's first-step mark minus the launcher's notice, less model + data.
    const firstSteps = events.map((x) => x.e).filter((e) => e.type === 'phase' && e.attempt === 1 && e.phase === 'first-step') as Array<{ time: number }>;
    expect(t!.totalMs).toBeCloseTo(Math.max(...firstSteps.map((f) => f.time)) - t!.detectedAt - t!.modelDataMs!, 6);
  }, 60_000);
});
