// Fault tests of `omnitrain launch --nproc 2` (the built CLI, real processes, real ZeroMQ): a worker
// is killed (SIGKILL) or frozen (SIGSTOP) while rank 0 writes a checkpoint, rank 0 itself is killed
// mid-write, and a worker is killed in the first step after a restart. Each run must finish through
// the launcher's restarts, leave `latest.json` naming a complete checkpoint (loads, checksum verifies)
// and no temporary file, and end with the same metrics as a failure-free run of the same seed.
// test-fixtures/fault-hooks.mjs holds the worker at the exact moment (test-only preload).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '@omnitrain/cli';
import { readSafetensors } from '@omnitrain/core';
import { CHECKPOINT_METADATA_KEY, disposeCheckpoint, loadCheckpoint } from '@omnitrain/engine';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';
import type { CliResult } from '../../test-fixtures/run-omnitrain.js';
import { failureFreeLaunch } from '../../test-fixtures/failure-free-launch.js';
import type { TinyRun } from '../../test-fixtures/tiny-run.js';

const HOOKS = pathToFileURL(fileURLToPath(new URL('../../test-fixtures/fault-hooks.mjs', import.meta.url))).href;
/** 4 epochs of 3 steps, a checkpoint every 2 steps (and each epoch's end): 12 steps, ~10 checkpoints. */
const SETS = ['--set', 'train.epochs=4', '--set', 'train.checkpoint={everySteps: 2}'];
/** The checkpoint the writer is held at: step 4, so step 2 and 3 are complete before it. */
const HELD_STEP = 4;

interface Summary { steps: number; worldSize: number; last: Record<string, number>; test?: { accuracy: number; loss: number }; resumedFrom?: string }
interface Marker { pid: number; rank: number; temp?: string; target?: string }
interface Report { restarts: number; restartTimings: Array<{ attempt: number; totalMs?: number; detectedAt: number }> }

const json = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** The checkpoint `latest.json` names loads, its data checksum verifies, and its step is the one named. */
async function expectCompleteLatest(checkpoints: string): Promise<number> {
  const latest = json<{ file: string; step: number }>(join(checkpoints, 'latest.json'));
  const { metadata } = await readSafetensors(join(checkpoints, latest.file)); // throws on a bad checksum
  expect(metadata['omnitrain.crc32'], latest.file).toMatch(/^[0-9a-f]+$/);
  expect(metadata[CHECKPOINT_METADATA_KEY]).toBeDefined();
  const state = await loadCheckpoint(join(checkpoints, latest.file));
  try {
    expect(state.step).toBe(latest.step);
  } finally {
    disposeCheckpoint(state);
  }
  return latest.step;
}

interface FaultRun { result: CliResult; summary: Summary; report: Report; checkpoints: string; pids: number[][] }

/** What a marker handler gets: worker pids per attempt, a wait on the launcher's output, the hold's release. */
interface FaultContext {
  pids: number[][];
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  release(): void;
}

/**
 * Launches run `id` with the hooks armed by `env`; `onMarker` is called once per marker file the
 * hooks write (polled every 20 ms).
 */
async function launchWithFault(tiny: TinyRun, id: string, maxRestarts: number, env: Record<string, string>, onMarker: (name: string, marker: Marker, ctx: FaultContext) => void | Promise<void>): Promise<FaultRun> {
  const hookDir = await mkdtemp(join(tmpdir(), 'omnitrain-faults-'));
  const pids: number[][] = [];
  let output = '';
  const ctx: FaultContext = {
    pids,
    waitForOutput: async (pattern, timeoutMs) => {
      const until = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > until) throw new Error(`launch-faults: no ${pattern} in the launcher's output within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    release: () => writeFileSync(join(hookDir, 'release'), ''),
  };
  const seen = new Set<string>();
  let handling = Promise.resolve();
  const poll = setInterval(() => {
    for (const name of readdirSync(hookDir)) {
      if (seen.has(name) || !name.endsWith('.json')) continue;
      seen.add(name);
      const marker = json<Marker>(join(hookDir, name));
      handling = handling.then(() => onMarker(name, marker, ctx));
    }
  }, 20);
  try {
    const result = await runOmnitrain(['launch', '--nproc', '2', '--max-restarts', String(maxRestarts), tiny.config, '--run-id', id, ...SETS], {
      cwd: tiny.dir,
      timeoutMs: 100_000, // no hang: the whole launch, restarts included, has a deadline
      env: { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import ${HOOKS}`, OMNITRAIN_TEST_HOOK_DIR: hookDir, ...env },
      onOutput: (text) => {
        output += text;
        for (const m of text.matchAll(/attempt (\d+): workers started \(pids (\d+), (\d+)[,)]/g)) pids[Number(m[1]) - 1] = [Number(m[2]), Number(m[3])];
      },
    });
    await handling;
    expect(seen.size, `no hook marker was written; the fault never happened\n${result.stderr}`).toBeGreaterThan(0);
    const runDir = join(tiny.dir, 'runs', id);
    return { result, summary: json<Summary>(join(runDir, 'summary.json')), report: json<Report>(join(runDir, 'launch.json')), checkpoints: join(runDir, 'checkpoints'), pids };
  } finally {
    clearInterval(poll);
  }
}

describe('omnitrain launch under faults (checkpoint writes, first step after a restart)', () => {
  let tiny: TinyRun;
  let base: Summary;

  beforeAll(async () => {
    ({ tiny, summary: base } = await failureFreeLaunch<Summary>(SETS));
  }, 100_000);

  /** The run finished, restarted as expected, kept its checkpoints whole, and matches the failure-free run. */
  async function expectRecovered(run: FaultRun, restarts: number): Promise<void> {
    const { result, summary, report, checkpoints } = run;
    expect(result.code, result.stderr).toBe(EXIT_CODES.ok);
    expect(result.stdout).toContain(`after ${restarts} restart(s)`);
    expect(report.restarts).toBe(restarts);
    expect(readdirSync(checkpoints).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(await expectCompleteLatest(checkpoints)).toBe(base.steps);
    expect(summary.resumedFrom).toMatch(/step-\d{8}\.safetensors$/);
    // Exact resume (weights, optimizer slots, schedule, RNG, sampler position) replays the lost steps
    // with the same data and the same ring sums, so the result is the failure-free run's up to float
    // rounding: 1e-5 relative leaves room for a different summation order, nothing more.
    expect(summary.steps).toBe(base.steps);
    for (const key of ['loss', 'val_loss', 'val_accuracy']) {
      expect(summary.last[key], key).toBeCloseTo(base.last[key]!, 5);
    }
    if (base.test) expect(summary.test?.loss).toBeCloseTo(base.test.loss, 5);
    // Every restart was timed; the last one reached its first new step.
    expect(report.restartTimings.map((t) => t.attempt)).toEqual(Array.from({ length: restarts }, (_, i) => i + 1));
    expect(report.restartTimings.at(-1)!.totalMs).toBeGreaterThan(0);
    expect(result.stdout).toMatch(new RegExp(`launch: restart ${restarts} \\(rank [01] failed\\): [\\d.]+ s from failure noticed to first new step \\(teardown`));
  }

  it('SIGKILL of a random rank while rank 0 writes a checkpoint (temp file written, not yet renamed); restart from warm spares', async () => {
    const victim = pick([0, 1]);
    let heldFile: string | undefined;
    const run = await launchWithFault(tiny, 'kill-write', 1, { OMNITRAIN_TEST_HOLD_CHECKPOINT: String(HELD_STEP), OMNITRAIN_TEST_HOLD_MS: '60000' }, async (name, m, { pids, waitForOutput, release }) => {
      expect(name).toMatch(/^checkpoint-/);
      expect(m.rank).toBe(0);
      heldFile = m.temp;
      expect(existsSync(m.temp!)).toBe(true); // truly mid-write: the temp file is there, the target not yet
      expect(existsSync(m.target!)).toBe(false);
      expect(await expectCompleteLatest(join(m.target!, '..'))).toBeLessThan(HELD_STEP);
      // The failure comes once the spares are warm, as it would in a run longer than this one.
      await waitForOutput(/warm spares for restart 1 ready/, 60_000);
      console.log(`launch-faults: SIGKILL rank ${victim} (pid ${pids[0]![victim]}) during the write of ${m.target}`);
      process.kill(pids[0]![victim]!, 'SIGKILL');
      release();
    });
    expect(heldFile).toBeDefined();
    expect(run.result.stderr).toContain(`launch: rank ${victim} exited with SIGKILL`);
    expect(run.result.stderr).toMatch(/attempt 2: workers started \(pids \d+, \d+, warm spares\)/);
    console.log(`launch-faults: warm ${run.result.stdout.split('\n').find((l) => l.startsWith('launch: restart 1'))}`);
    await expectRecovered(run, 1);
  }, 150_000);

  it('SIGSTOP of a random rank during the write: its peer notices (heartbeat), the group restarts', async () => {
    const victim = pick([0, 1]);
    let stoppedAt = 0;
    const run = await launchWithFault(tiny, 'stop-write', 1, { OMNITRAIN_TEST_HOLD_CHECKPOINT: String(HELD_STEP), OMNITRAIN_TEST_HOLD_MS: '60000' }, (_name, m, { pids, release }) => {
      console.log(`launch-faults: SIGSTOP rank ${victim} (pid ${pids[0]![victim]}) during the write of ${m.target}`);
      stoppedAt = Date.now();
      process.kill(pids[0]![victim]!, 'SIGSTOP');
      release();
    });
    // The frozen worker does not exit by itself: the other rank's collective declares it dead.
    const detectMs = run.report.restartTimings[0]!.detectedAt - stoppedAt;
    console.log(`launch-faults: frozen rank ${victim} detected after ${detectMs} ms`);
    expect(detectMs).toBeLessThan(30_000);
    await expectRecovered(run, 1);
  }, 150_000);

  it('SIGKILL of rank 0 itself mid-write, then of a random rank in the first step after the restart', async () => {
    const victim = pick([0, 1]);
    const run = await launchWithFault(tiny, 'kill-writer', 2, { OMNITRAIN_TEST_HOLD_CHECKPOINT: String(HELD_STEP), OMNITRAIN_TEST_HOLD_FIRST_STEP: '1', OMNITRAIN_TEST_HOLD_MS: '3000' }, (name, m, { pids }) => {
      if (name.startsWith('checkpoint-')) {
        expect(m.pid).toBe(pids[0]![0]);
        console.log(`launch-faults: SIGKILL rank 0 (pid ${m.pid}) during the write of ${m.target}`);
        process.kill(m.pid, 'SIGKILL');
        return;
      }
      // Rank 0 has loaded the checkpoint and is held before its first step; rank 1 is in its first
      // step, waiting for rank 0 in the gradient all-reduce.
      expect(name).toMatch(/^first-step-/);
      expect(m.pid).toBe(pids[1]![0]);
      console.log(`launch-faults: SIGKILL rank ${victim} (pid ${pids[1]![victim]}) in the first step of attempt 2`);
      process.kill(pids[1]![victim]!, 'SIGKILL');
    });
    const { result, summary, report } = run;
    expect(result.stderr).toContain('launch: rank 0 exited with SIGKILL');
    expect(result.stderr).toContain('restart 2 of 2');
    // The torn temp file was never used: the run resumed from checkpoints before the one being written.
    expect(result.stderr).not.toMatch(/resuming from .*step-0000000[4-9]/);
    expect(Number(/step-(\d{8})/.exec(summary.resumedFrom!)![1])).toBeLessThan(HELD_STEP);
    // Restart 1's attempt died in its first step, so only restart 2 reached a new step.
    expect(report.restartTimings[0]!.totalMs).toBeUndefined();
    await expectRecovered(run, 2);
  }, 150_000);
});
