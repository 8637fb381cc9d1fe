// launchElastic with real worker processes (`node -e`) and a scripted membership service standing in
// for ElasticMembership (tested with real workers in elastic-strategy.test.ts): the tests drive the
// service's events (excluded, below-min) themselves, to check the launcher's policy.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, DistributedError } from '@omnitrain/core';
import { launchElastic } from '@omnitrain/distributed';
import type { ElasticService, MembershipEvent, LaunchEvent, StartElasticService } from '@omnitrain/distributed';

const rand = (k: number): number => Math.floor(Math.random() * k);

/** Prints its variables, exits 3 at once in slot FAIL_SLOT, else waits for the file FINISH and exits 0. */
const WORKER = `const fs = require('fs'); const e = process.env;
console.log('up ' + e.RANK + ' ' + e.WORLD_SIZE + ' ' + e.OMNITRAIN_ELASTIC_ADDR + ' r' + e.OMNITRAIN_RESTART);
if (e.FAIL_SLOT === e.RANK) process.exit(3);
const t = setInterval(() => { if (fs.existsSync(e.FINISH) || fs.existsSync(e.FINISH + '-' + process.pid)) { clearInterval(t); process.exit(0); } }, 20);`;

interface Scripted extends ElasticService {
  exited: number[];
  emit(e: MembershipEvent): void;
  closed: boolean;
}

/** A service per attempt, each with its own address, recording what the launcher tells it. */
function scriptedServices(): { start: StartElasticService; services: Scripted[]; options: Array<{ min: number; max: number; initial: number }> } {
  const services: Scripted[] = [];
  const options: Array<{ min: number; max: number; initial: number }> = [];
  const start: StartElasticService = async ({ onEvent, ...rest }) => {
    options.push(rest);
    const s: Scripted = {
      address: `tcp://127.0.0.1:${40000 + services.length}`,
      jobId: `job-${services.length}`,
      exited: [],
      closed: false,
      memberExited(pid) {
        s.exited.push(pid);
      },
      emit: onEvent,
      async close() {
        s.closed = true;
      },
    };
    services.push(s);
    return s;
  };
  return { start, services, options };
}

async function setup(): Promise<{ finish: string; done: () => Promise<void>; out: PassThrough; text: () => string }> {
  const dir = await mkdtemp(join(tmpdir(), 'omnitrain-elastic-'));
  const finish = join(dir, 'finish');
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  return { finish, done: () => writeFile(finish, ''), out, text: () => text };
}

const waitFor = async (cond: () => boolean, ms: number, what: string): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`launch-elastic.test: ${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('launchElastic', () => {
  it('a killed worker: the others keep running (same pids), a replacement joins with the service address, the job ends when all exit 0', async () => {
    const nproc = 2 + rand(2);
    const { start, services, options } = scriptedServices();
    const { finish, done, out, text } = await setup();
    const events: LaunchEvent[] = [];
    const victim = rand(nproc);
    const run = launchElastic({ nproc, min: 1, max: nproc, command: process.execPath, args: ['-e', WORKER], env: { FINISH: finish }, maxRestarts: 1, replaceBackoffMs: { base: 30, max: 1000 }, startService: start, onEvent: (e) => events.push(e), stdout: out, graceMs: 500 });
    await waitFor(() => text().split('\n').filter((l) => l.includes(' up ')).length === nproc, 20_000, 'every worker printing');
    const first = events.find((e) => e.type === 'start')!;
    if (first.type !== 'start') throw new Error('no start');
    const killed = first.pids[victim]!;
    process.kill(killed, 'SIGKILL');
    await waitFor(() => events.some((e) => e.type === 'joiner'), 20_000, 'a replacement');
    await waitFor(() => text().split('\n').filter((l) => l.includes(' up ')).length === nproc + 1, 20_000, 'the replacement printing');
    await done();
    const summary = await run;
    expect(options).toEqual([{ min: 1, max: nproc, initial: nproc }]);
    expect(services[0]!.exited).toEqual([killed]);
    expect(services[0]!.closed).toBe(true);
    expect(summary.restarts).toBe(0);
    expect(summary.replacements).toBe(1);
    const joiner = events.find((e) => e.type === 'joiner');
    expect(joiner).toMatchObject({ type: 'joiner', attempt: 0, slot: victim });
    expect(events.find((e) => e.type === 'replace')).toEqual({ type: 'replace', attempt: 0, slot: victim, delayMs: 30, failures: 1 });
    // The survivors are the original processes (never restarted) plus the joiner.
    const survivors = first.pids.filter((p) => p !== killed);
    expect([...summary.survivors].sort()).toEqual([...survivors, (joiner as { pid: number }).pid].sort());
    expect(summary.workers.find((w) => w.pid === killed)).toMatchObject({ slot: victim, exit: 'SIGKILL', joiner: false });
    // Every worker (the joiner too) got the service's address and the first generation's provisional size.
    for (const line of text().split('\n').filter((l) => l.includes(' up '))) expect(line).toMatch(new RegExp(` up \\d ${nproc} tcp://127.0.0.1:40000 r0$`));
    expect(text()).toContain(`[rank ${victim}] up ${victim} `);
  }, 40_000);

  it('repeated failures of a slot: the replacement backoff doubles up to its cap, each spends one restart; the budget ends replacements', async () => {
    const { start, services } = scriptedServices();
    const { finish, done, out } = await setup();
    const events: LaunchEvent[] = [];
    const budget = 2 + rand(2);
    const base = 20 + rand(20);
    const cap = base * 3;
    const run = launchElastic({ nproc: 2, min: 1, max: 2, command: process.execPath, args: ['-e', WORKER], env: { FINISH: finish, FAIL_SLOT: '1' }, maxRestarts: budget, replaceBackoffMs: { base, max: cap }, startService: start, onEvent: (e) => events.push(e), stdout: out, graceMs: 500 });
    // Slot 1 fails at once each time: budget replacements, then no more.
    await waitFor(() => events.filter((e) => e.type === 'exit' && e.rank === 1).length === budget + 1, 30_000, 'every failure of slot 1');
    await new Promise((r) => setTimeout(r, cap * 2));
    expect(events.filter((e) => e.type === 'replace').length).toBe(budget);
    await done();
    const summary = await run;
    const delays = events.flatMap((e) => (e.type === 'replace' ? [e.delayMs] : []));
    expect(delays).toEqual(Array.from({ length: budget }, (_, i) => Math.min(cap, base * 2 ** i)));
    expect(events.flatMap((e) => (e.type === 'replace' ? [e.failures] : []))).toEqual(Array.from({ length: budget }, (_, i) => i + 1));
    expect(summary.replacements).toBe(budget);
    expect(summary.restarts).toBe(0);
    expect(summary.survivors).toHaveLength(1);
    expect(services[0]!.exited).toHaveLength(budget + 1);
  }, 40_000);

  it('an excluded worker is SIGKILLed (even when frozen) and replaced', async () => {
    const { start, services } = scriptedServices();
    const { finish, done, out, text } = await setup();
    const events: LaunchEvent[] = [];
    const run = launchElastic({ nproc: 2, min: 1, max: 2, command: process.execPath, args: ['-e', WORKER], env: { FINISH: finish }, maxRestarts: 1, replaceBackoffMs: { base: 10, max: 10 }, startService: start, onEvent: (e) => events.push(e), stdout: out, graceMs: 500 });
    await waitFor(() => text().split('\n').filter((l) => l.includes(' up ')).length === 2, 20_000, 'both workers printing');
    const first = events.find((e) => e.type === 'start') as { pids: number[] };
    const victim = first.pids[rand(2)]!;
    process.kill(victim, 'SIGSTOP');
    services[0]!.emit({ type: 'excluded', pid: victim, host: '127.0.0.1', reason: 'no hello within 100 ms' });
    await waitFor(() => events.some((e) => e.type === 'joiner'), 20_000, 'a replacement');
    await done();
    const summary = await run;
    expect(events).toContainEqual({ type: 'excluded', attempt: 0, pid: victim, reason: 'no hello within 100 ms' });
    expect(summary.workers.find((w) => w.pid === victim)).toMatchObject({ exit: 'SIGKILL', stoppedBy: 'excluded: no hello within 100 ms' });
    expect(events).toContainEqual({ type: 'exit', attempt: 0, rank: expect.any(Number), code: null, signal: 'SIGKILL', pid: victim, stoppedBy: 'excluded: no hello within 100 ms' });
    expect(summary.survivors).toHaveLength(2);
    expect(summary.survivors).not.toContain(victim);
  }, 40_000);

  it('below the minimum: the whole group restarts with a new service (one restart of the budget); rejects when the budget is spent', async () => {
    const { start, services, options } = scriptedServices();
    const { finish, done, out, text } = await setup();
    const events: LaunchEvent[] = [];
    const run = launchElastic({ nproc: 2, min: 2, max: 2, command: process.execPath, args: ['-e', WORKER], env: { FINISH: finish }, maxRestarts: 1, restartDelayMs: 10, startService: start, onEvent: (e) => events.push(e), stdout: out, graceMs: 500 });
    await waitFor(() => text().split('\n').filter((l) => l.includes(' up ')).length === 2, 20_000, 'both workers printing');
    const first = events.find((e) => e.type === 'start') as { pids: number[] };
    const victim = rand(2);
    process.kill(first.pids[victim]!, 'SIGKILL');
    await waitFor(() => text().includes('tcp://127.0.0.1:40001 r1'), 20_000, 'the restarted group');
    await waitFor(() => text().split('\n').filter((l) => l.includes(' r1')).length === 2, 20_000, 'both restarted workers');
    await done();
    const summary = await run;
    expect(options).toHaveLength(2);
    expect(services.map((s) => s.closed)).toEqual([true, true]);
    expect(summary.restarts).toBe(1);
    expect(summary.replacements).toBe(0);
    expect(summary.attempts[0]!.exits[1 - victim]).toBe('SIGTERM');
    expect(summary.attempts[0]!.failedRank).toBe(victim);
    expect(events.find((e) => e.type === 'restart')).toEqual({ type: 'restart', attempt: 1, failedRank: victim, delayMs: 10 });

    // The service's below-min also stops the group; without budget the launch rejects naming the cause.
    const again = scriptedServices();
    const s2 = await setup();
    const failing = launchElastic({ nproc: 2, min: 2, max: 3, command: process.execPath, args: ['-e', WORKER], env: { FINISH: s2.finish }, maxRestarts: 0, startService: again.start, stdout: s2.out, graceMs: 500 });
    await waitFor(() => s2.text().split('\n').filter((l) => l.includes(' up ')).length === 2, 20_000, 'both workers printing');
    again.services[0]!.emit({ type: 'below-min', alive: 1, min: 2 });
    const err = await failing.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DistributedError);
    expect((err as Error).message).toContain('1 live worker(s), fewer than the minimum 2');
  }, 60_000);

  it('once the last generation finished, a joiner that never got into a generation is stopped; an abort stops everyone', async () => {
    const { start, services } = scriptedServices();
    const { finish, out, text } = await setup();
    const events: LaunchEvent[] = [];
    const run = launchElastic({ nproc: 2, min: 1, max: 2, command: process.execPath, args: ['-e', WORKER], env: { FINISH: finish }, maxRestarts: 1, replaceBackoffMs: { base: 10, max: 10 }, startService: start, onEvent: (e) => events.push(e), stdout: out, graceMs: 500 });
    await waitFor(() => text().split('\n').filter((l) => l.includes(' up ')).length === 2, 20_000, 'both workers printing');
    const pids = (events.find((e) => e.type === 'start') as { pids: number[] }).pids;
    services[0]!.emit({ type: 'generation', generation: 0, reason: 'start', members: pids.map((pid, rank) => ({ rank, pid, host: 'h', appliedSteps: 0 })), source: 0 });
    const victim = rand(2);
    process.kill(pids[victim]!, 'SIGKILL');
    await waitFor(() => services[0]!.exited.length === 1, 20_000, 'the exit of the killed worker');
    const seenAt = Date.now();
    await new Promise((r) => setTimeout(r, 30));
    services[0]!.emit({ type: 'generation', generation: 1, reason: 'failure', members: [{ rank: 0, pid: pids[1 - victim]!, host: 'h', appliedSteps: 3 }], source: 0 });
    await waitFor(() => text().split('\n').filter((l) => l.includes(' up ')).length === 3, 20_000, 'the joiner printing');
    await writeFile(`${finish}-${pids[1 - victim]}`, ''); // only the member finishes; the joiner would wait forever
    const summary = await run;
    const joiner = (events.find((e) => e.type === 'joiner') as { pid: number }).pid;
    expect(summary.survivors).toEqual([pids[1 - victim]]);
    expect(summary.workers.find((w) => w.pid === joiner)).toMatchObject({ joiner: true, exit: 'SIGTERM', stoppedBy: 'job done' });
    expect(summary.generations.map((g) => [g.generation, g.reason])).toEqual([[0, 'start'], [1, 'failure']]);
    // The regroup's delay counts from the launcher seeing the exit (before seenAt) to the generation.
    expect(summary.generations[0]!.afterFailureMs).toBeUndefined();
    expect(summary.generations[1]!.afterFailureMs).toBeGreaterThanOrEqual(30);
    expect(summary.generations[1]!.afterFailureMs).toBeLessThanOrEqual(Date.now() - seenAt + 500); // not counted from the start

    const aborted = await setup();
    const controller = new AbortController();
    const again = scriptedServices();
    const pending = launchElastic({ nproc: 2, min: 1, max: 2, command: process.execPath, args: ['-e', WORKER], env: { FINISH: aborted.finish }, maxRestarts: 3, startService: again.start, stdout: aborted.out, graceMs: 500, signal: controller.signal, onEvent: (e) => events.push(e) });
    await waitFor(() => aborted.text().split('\n').filter((l) => l.includes(' up ')).length === 2, 20_000, 'both workers printing');
    controller.abort('test');
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DistributedError);
    expect((err as Error).message).toContain('stopped by the caller (test)');
    expect(again.services[0]!.closed).toBe(true);
    expect(events.filter((e) => e.type === 'joiner')).toHaveLength(1); // no replacement after the abort
  }, 40_000);

  it('rejects sizes outside min <= nproc <= max, naming the field', async () => {
    const { start } = scriptedServices();
    const base = { command: process.execPath, startService: start };
    for (const [sizes, field] of [[{ nproc: 2, min: 0, max: 2 }, 'min'], [{ nproc: 3, min: 1, max: 2 }, 'nproc'], [{ nproc: 2, min: 2, max: 1 }, 'max']] as const) {
      const err = await launchElastic({ ...base, ...sizes }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(field);
    }
  });
});
