import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '@omnitrain/optim';
import { Trainer } from '@omnitrain/engine';
import { ELASTIC_ADDR_ENV, ELASTIC_JOB_ENV, ElasticMembership } from '@omnitrain/distributed';
import type { MembershipEvent } from '@omnitrain/distributed';
import { TS_NODE_ARGS } from '../../test-fixtures/worker-group.js';
import { SHAPES, makeModel, shardSource } from '../../test-fixtures/sharded-job-model.js';

beforeAll(() => tf.setBackend('cpu'));

const JOB = fileURLToPath(new URL('../../test-fixtures/elastic-train-job.ts', import.meta.url));
const STEPS = 14;

interface Worker {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<number | string>;
  /** Resolves once the worker printed a line matching `re`. */
  saw(re: RegExp): Promise<void>;
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c().catch(() => undefined);
});

/** A membership service and a way to start workers of its job (the launcher's part, by hand). */
async function job(o: { min: number; max: number; initial: number; formTimeoutMs?: number; holdAt?: number }) {
  const out = await mkdtemp(join(tmpdir(), 'elastic-'));
  const events: MembershipEvent[] = [];
  const seed = 1 + Math.floor(Math.random() * 1e6);
  const service = await ElasticMembership.start({ ...o, onEvent: (e) => events.push(e) });
  const workers: Worker[] = [];
  cleanup.push(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await service.close();
    await rm(out, { recursive: true, force: true });
  });
  const start = (): Worker => {
    const child = spawn(process.execPath, [...TS_NODE_ARGS, JOB], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, [ELASTIC_ADDR_ENV]: service.address, [ELASTIC_JOB_ENV]: service.jobId, OUT_DIR: out, SEED: String(seed), STEPS: String(STEPS), SLOW_MS: '150', HOLD_AT: String(o.holdAt ?? 0), HOLD_FILE: join(out, 'release') },
    });
    const lines: string[] = [];
    const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        for (const w of waiters.filter((x) => x.re.test(line))) w.resolve();
      });
    }
    const exited = new Promise<number | string>((resolve) =>
      child.on('exit', (code, signal) => {
        service.memberExited(child.pid!); // what the launcher does
        resolve(code ?? signal ?? 'unknown');
      }),
    );
    const saw = (re: RegExp) => (lines.some((l) => re.test(l)) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ re, resolve })));
    const w = { child, lines, exited, saw };
    workers.push(w);
    return w;
  };
  /** The first generation's rank 0's initial weights. */
  const initial = async () => {
    const first = events.find((e) => e.type === 'generation');
    if (first?.type !== 'generation') throw new Error('no generation formed');
    return JSON.parse(await readFile(join(out, `${first.members[0]!.pid}.init.json`), 'utf8')) as Record<string, number[]>;
  };
  const result = async (w: Worker) => JSON.parse(await readFile(join(out, `${w.child.pid}.json`), 'utf8')) as { weights: Record<string, number[]>; step: number; regroups: Array<{ reason: string; worldSize: number; source: boolean; rolledBackToStep: number }> };
  /** Lets workers held at `holdAt` go on. */
  const release = () => writeFile(join(out, 'release'), '');
  return { service, events, seed, start, result, initial, release };
}

/**
 * One process on every global batch from the first generation's rank 0's initial weights (every
 * worker starts from its own; the first regroup copies rank 0's): what any sequence of regroups must end equal to.
 */
async function oracle(seed: number, initial: Record<string, number[]>): Promise<Record<string, Float32Array>> {
  const model = makeModel(seed);
  for (const [n, v] of Object.entries(model.variables)) v.assign(tf.tensor(initial[n]!, v.shape));
  const t = new Trainer({ model, optimizer: createOptimizer(model.variables, { name: 'adam', lr: 0.05 }), train: shardSource(seed, STEPS, 0, 1), epochs: 1, evalEvery: 0, seed });
  await t.fit();
  const w = Object.fromEntries(Object.entries(model.variables).map(([n, v]) => [n, v.dataSync() as Float32Array]));
  return w;
}

function expectClose(weights: Record<string, number[]>, want: Record<string, Float32Array>): void {
  for (const k of Object.keys(SHAPES)) weights[k]!.forEach((v, i) => expect(Math.abs(v - want[k]![i]!), k).toBeLessThan(5e-5));
}

describe('the elastic strategy over real processes and sockets', () => {
  it('SIGKILL of one of 3 workers mid-run: the 2 survivors go on in the same processes, a 4th joins, all end equal to one process', async () => {
    // The survivors wait after step 9 until the joiner said hello (the service's pending event), so it
    // surely joins a training group however slowly it starts.
    const j = await job({ min: 2, max: 3, initial: 3, holdAt: 9 });
    const ws = [j.start(), j.start(), j.start()];
    await ws[1]!.saw(/^step 4$/);
    const want = oracle(j.seed, await j.initial());
    ws[1]!.child.kill('SIGKILL');
    await ws[1]!.exited;
    await ws[0]!.saw(/"reason":"failure"/);
    const joiner = j.start();
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => j.events.some((e) => e.type === 'pending') && (clearInterval(poll), resolve()), 50);
    });
    await j.release();
    const survivors = [ws[0]!, ws[2]!];
    expect(await Promise.all([...survivors, joiner].map((w) => w.exited))).toEqual([0, 0, 0]);
    const [a, b, c] = await Promise.all([...survivors, joiner].map(j.result));
    const failure = a!.regroups.find((r) => r.reason === 'failure')!;
    expect(failure.worldSize).toBe(2);
    expect(failure.rolledBackToStep).toBeGreaterThanOrEqual(3);
    expect(c!.regroups[0]).toMatchObject({ reason: 'start', worldSize: 3, source: false });
    expect(a!.regroups.at(-1)!.worldSize).toBe(3);
    for (const r of [a!, b!, c!]) expect(r.step).toBe(STEPS);
    expect(b!.weights).toEqual(a!.weights); // identical replicas, bit for bit
    expect(c!.weights).toEqual(a!.weights);
    expectClose(a!.weights, await want);
    const generations = j.events.filter((e) => e.type === 'generation');
    expect(generations.map((g) => g.members.length)).toEqual([3, 2, 3]);
    expect(generations[1]!.members.map((m) => m.pid).sort()).toEqual(survivors.map((w) => w.child.pid!).sort()); // the same processes go on
  }, 120_000);

  it('a frozen worker (SIGSTOP) is excluded after formTimeoutMs and the others finish equal to one process', async () => {
    const j = await job({ min: 2, max: 3, initial: 3, formTimeoutMs: 3000 });
    const ws = [j.start(), j.start(), j.start()];
    await ws[2]!.saw(/^step 3$/);
    const want = oracle(j.seed, await j.initial());
    ws[2]!.child.kill('SIGSTOP');
    const excluded = await new Promise<MembershipEvent>((resolve) => {
      const poll = setInterval(() => {
        const e = j.events.find((x) => x.type === 'excluded');
        if (e) resolve(e), clearInterval(poll);
      }, 50);
    });
    expect(excluded).toMatchObject({ type: 'excluded', pid: ws[2]!.child.pid });
    ws[2]!.child.kill('SIGKILL'); // what the launcher does with an excluded worker
    expect(await Promise.all([ws[0]!, ws[1]!].map((w) => w.exited))).toEqual([0, 0]);
    const [a, b] = await Promise.all([ws[0]!, ws[1]!].map(j.result));
    expect(b!.weights).toEqual(a!.weights);
    expectClose(a!.weights, await want);
  }, 120_000);

  it('below min: the last worker is refused with an error naming min, and exits non-zero', async () => {
    const j = await job({ min: 2, max: 2, initial: 2 });
    const ws = [j.start(), j.start()];
    await ws[0]!.saw(/^step 3$/);
    ws[0]!.child.kill('SIGKILL');
    expect(await ws[1]!.exited).not.toBe(0);
    expect(ws[1]!.lines.join('\n')).toMatch(/fewer than min 2/);
    expect(j.events.some((e) => e.type === 'below-min')).toBe(true);
  }, 120_000);
});
