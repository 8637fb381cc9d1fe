// End-to-end tests of `omnitrain launch --elastic` (the built CLI, real worker processes, real ZeroMQ,
// the launcher's real membership service): a killed worker's peers go on in the same processes and a
// replacement joins; a frozen worker is excluded and killed; below the minimum the group restarts from
// the last checkpoint. Each run must end with the failure-free run's steps and metrics.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '@omnitrain/cli';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';
import type { CliResult } from '../../test-fixtures/run-omnitrain.js';
import { failureFreeLaunch } from '../../test-fixtures/failure-free-launch.js';
import type { TinyRun } from '../../test-fixtures/tiny-run.js';

/** 200 epochs of 3 steps (about 15 s), a checkpoint every 10 steps: long enough for a replacement (1 s backoff, then its start, 3-6 s on 2 busy cores) to join before the survivor ends. */
const SETS = ['--set', 'train.epochs=200', '--set', 'train.checkpoint={everySteps: 10}'];

interface Summary { steps: number; rank: number; worldSize: number; last: Record<string, number>; test?: { accuracy: number; loss: number } }
interface Report {
  restarts: number;
  replacements: number;
  survivors: number[];
  generations: Array<{ attempt: number; generation: number; reason: string; members: Array<{ rank: number; pid: number }> }>;
  workers: Array<{ slot: number; pid: number; attempt: number; joiner: boolean; exit: number | string; stoppedBy?: string }>;
}

const HOOKS = pathToFileURL(fileURLToPath(new URL('../../test-fixtures/fault-hooks.mjs', import.meta.url))).href;
const json = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

interface ElasticRun { result: CliResult; summary: Summary; report: Report; victim: number; pids: number[] }

/**
 * Launches run `id` with `flags`; once the first checkpoint exists (steps were made), sends `signal`
 * to a random worker of the first attempt. `holdUntilJoin`: from the hit on, the chief's checkpoint
 * writes wait (test hook) until the launcher says a replacement waits to join, so the survivor cannot
 * end the run before the join however slowly the replacement starts on a busy machine.
 */
async function launchAndHit(tiny: TinyRun, id: string, flags: string[], signal: NodeJS.Signals, holdUntilJoin = false): Promise<ElasticRun> {
  const latest = join(tiny.dir, 'runs', id, 'checkpoints', 'latest.json');
  const hookDir = holdUntilJoin ? mkdtempSync(join(tmpdir(), 'omnitrain-elastic-hooks-')) : '';
  let pids: number[] = [];
  let victim: number | undefined;
  let output = '';
  const result = await runOmnitrain(['launch', '--nproc', '2', ...flags, tiny.config, '--run-id', id, ...SETS], {
    cwd: tiny.dir,
    timeoutMs: 90_000, // no hang: the whole launch has a deadline
    ...(holdUntilJoin ? { env: { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import ${HOOKS}`, OMNITRAIN_TEST_HOOK_DIR: hookDir, OMNITRAIN_TEST_HOLD_WHILE_ARMED: '1', OMNITRAIN_TEST_HOLD_MS: '60000' } } : {}),
    onOutput: (text) => {
      output += text;
      const started = /attempt 1: workers started \(pids (\d+), (\d+)\)/.exec(text);
      if (started) pids = [Number(started[1]), Number(started[2])];
      if (victim === undefined && pids.length === 2 && existsSync(latest)) {
        victim = pick(pids);
        if (holdUntilJoin) writeFileSync(join(hookDir, 'armed'), '');
        console.log(`launch-elastic: ${signal} pid ${victim}`);
        process.kill(victim, signal);
      }
      if (holdUntilJoin && /waiting to join|formed \(join/.test(output)) writeFileSync(join(hookDir, 'release'), '');
    },
  });
  expect(victim, `no worker was hit\n${result.stderr}`).toBeDefined();
  if (holdUntilJoin) {
    expect(existsSync(join(hookDir, 'release')), `no replacement waited to join\n${result.stderr}`).toBe(true);
    rmSync(hookDir, { recursive: true, force: true });
  }
  const runDir = join(tiny.dir, 'runs', id);
  expect(result.code, result.stderr).toBe(EXIT_CODES.ok);
  return { result, summary: json<Summary>(join(runDir, 'summary.json')), report: json<Report>(join(runDir, 'launch.json')), victim: victim!, pids };
}

describe('omnitrain launch --elastic (real workers, real membership service)', () => {
  let tiny: TinyRun;
  let base: Summary;

  beforeAll(async () => {
    ({ tiny, summary: base } = await failureFreeLaunch<Summary>(SETS));
  }, 100_000);

  /** Same steps as the failure-free run, the same metrics up to float rounding (launch-faults' tolerance). */
  function expectSameResult(summary: Summary): void {
    expect(summary.steps).toBe(base.steps);
    for (const key of ['loss', 'val_loss', 'val_accuracy']) expect(summary.last[key], key).toBeCloseTo(base.last[key]!, 5);
    if (base.test) {
      expect(summary.test?.loss).toBeCloseTo(base.test.loss, 5);
      expect(summary.test?.accuracy).toBeCloseTo(base.test.accuracy, 5);
    }
  }

  it('--elastic 1:2, SIGKILL of a random rank: the survivor goes on in the same process, a replacement joins, the run completes', async () => {
    const { result, summary, report, victim, pids } = await launchAndHit(tiny, 'kill', ['--elastic', '1:2', '--max-restarts', '2'], 'SIGKILL', true);
    const survivor = pids.find((p) => p !== victim)!;
    expect(result.stdout).toContain('after 0 restart(s)');
    expect(result.stderr).toMatch(new RegExp(`launch: rank [01] \\(pid ${victim}\\) died \\(SIGKILL\\); 1 worker\\(s\\) continue`));
    expect(report.restarts).toBe(0);
    expect(report.replacements).toBe(1);
    expect(result.stderr).toMatch(/launch: pid \d+ waiting to join; the group takes it in at its next step/);
    // The survivor never restarted: it is the same process at the end, in every generation.
    expect(report.survivors).toContain(survivor);
    expect(report.workers.find((w) => w.pid === victim)).toMatchObject({ exit: 'SIGKILL', joiner: false });
    const joiner = report.workers.find((w) => w.joiner)!;
    expect(joiner.exit).toBe(0);
    expect(report.survivors).toContain(joiner.pid);
    const reasons = report.generations.map((g) => g.reason);
    expect(reasons[0]).toBe('start');
    expect(reasons).toContain('failure');
    expect(reasons.at(-1)).toBe('join');
    for (const g of report.generations.slice(1)) expect(g.members.map((m) => m.pid)).toContain(survivor);
    expect(report.generations.at(-1)!.members.map((m) => m.pid).sort()).toEqual([survivor, joiner.pid].sort());
    expect(summary.worldSize).toBe(2);
    expectSameResult(summary);
    // Whoever was chief at the end (the first chief may be the one killed) ended the run's event log.
    const events = readFileSync(join(tiny.dir, 'runs', 'kill', 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; seq: number; status?: string; step?: number });
    expect(events.filter((e) => e.kind === 'run-end')).toEqual([expect.objectContaining({ status: 'completed', step: base.steps })]);
    const seqs = events.map((e) => (e as { seq?: number }).seq!);
    expect(seqs.every((q, i) => i === 0 || q > seqs[i - 1]!), 'one event log, its sequence continuing across chiefs').toBe(true);
    expect(events.filter((e) => e.kind === 'metric').length).toBeGreaterThan(0);
  }, 120_000);

  it('--elastic 1:2, SIGSTOP of a random rank: it is excluded and killed, the run completes', async () => {
    const { result, summary, report, victim, pids } = await launchAndHit(tiny, 'stop', ['--elastic', '1:2', '--max-restarts', '2'], 'SIGSTOP');
    expect(result.stdout).toContain('after 0 restart(s)');
    expect(result.stderr).toContain(`launch: pid ${victim} excluded from the group`);
    expect(report.workers.find((w) => w.pid === victim)).toMatchObject({ exit: 'SIGKILL' });
    expect(report.workers.find((w) => w.pid === victim)!.stoppedBy).toMatch(/^excluded: /);
    expect(report.survivors).toContain(pids.find((p) => p !== victim));
    expectSameResult(summary);
  }, 120_000);

  it('--elastic 2:2, SIGKILL below the minimum: the whole group restarts from the last checkpoint and completes', async () => {
    const { result, summary, report, victim } = await launchAndHit(tiny, 'below', ['--elastic', '2:2', '--max-restarts', '1'], 'SIGKILL');
    expect(result.stdout).toContain('after 1 restart(s)');
    expect(report.restarts).toBe(1);
    expect(report.replacements).toBe(0);
    expect(report.workers.find((w) => w.pid === victim)).toMatchObject({ attempt: 0, exit: 'SIGKILL' });
    expect(report.generations.some((g) => g.attempt === 1 && g.reason === 'start')).toBe(true);
    expect(result.stderr).toMatch(/resuming from .*step-\d{8}\.safetensors/);
    expect(summary.worldSize).toBe(2);
    expectSameResult(summary);
  }, 120_000);
});
