import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DistributedError } from '@omnitrain/core';
import { launchLocal } from '@omnitrain/distributed';
import type { LaunchEvent } from '@omnitrain/distributed';
import { TS_NODE_ARGS } from '../../test-fixtures/worker-group.js';

const rand = (k: number): number => Math.floor(Math.random() * k);

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

describe('launchLocal', () => {
  it('starts nproc workers with torchrun-style variables and prefixes their lines with [rank N]', async () => {
    const nproc = 2 + rand(2);
    const out = collect();
    const summary = await launchLocal({
      nproc,
      command: process.execPath,
      args: ['-e', 'const e = process.env; console.log(`${e.RANK}/${e.WORLD_SIZE}/${e.LOCAL_RANK} ${e.MASTER_ADDR}:${e.MASTER_PORT} ${e.OMNITRAIN_JOB_ID} r${e.OMNITRAIN_RESTART} ${e.EXTRA}`)'],
      env: { EXTRA: 'x1' },
      jobId: 'job-42',
      stdout: out.stream,
    });
    expect(summary.restarts).toBe(0);
    expect(summary.attempts[0]!.exits).toEqual(Array(nproc).fill(0));
    const lines = out.text().trim().split('\n').sort();
    expect(lines).toHaveLength(nproc);
    const port = /:(\d+) /.exec(lines[0]!)![1];
    lines.forEach((line, r) => expect(line).toBe(`[rank ${r}] ${r}/${nproc}/${r} 127.0.0.1:${port} job-42 r0 x1`));
  });

  it('a failing worker stops the group; restarts until it succeeds; rejects naming the rank when restarts run out', async () => {
    const bad = rand(3);
    // Rank `bad` fails while OMNITRAIN_RESTART < FAILS; the others would run for a minute.
    const script = `const e = process.env; if (Number(e.RANK) === ${bad} && Number(e.OMNITRAIN_RESTART) < Number(e.FAILS)) { setTimeout(() => process.exit(3), 200); } else if (Number(e.OMNITRAIN_RESTART) < Number(e.FAILS)) { setTimeout(() => {}, 60000); }`;
    const events: LaunchEvent[] = [];
    const t0 = Date.now();
    const ok = await launchLocal({ nproc: 3, command: process.execPath, args: ['-e', script], env: { FAILS: '1' }, maxRestarts: 2, restartDelayMs: 10, graceMs: 500, onEvent: (e) => events.push(e), stderr: collect().stream });
    expect(Date.now() - t0).toBeLessThan(20_000); // the sleepers were stopped, not waited for
    expect(ok.restarts).toBe(1);
    expect(ok.attempts[0]!.failedRank).toBe(bad);
    expect(ok.attempts[0]!.exits[bad]).toBe(3);
    expect(ok.attempts[0]!.exits.filter((x, r) => r !== bad)).toEqual(['SIGTERM', 'SIGTERM']);
    expect(events.filter((e) => e.type === 'restart')).toEqual([{ type: 'restart', attempt: 1, failedRank: bad, delayMs: 10 }]);

    const err = await launchLocal({ nproc: 3, command: process.execPath, args: ['-e', script], env: { FAILS: '9' }, maxRestarts: 1, restartDelayMs: 10, graceMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DistributedError);
    expect((err as Error).message).toContain(`rank ${bad} exited with 3`);
    expect((err as Error).message).toContain('attempt 2');
  });

  it('survives a worker SIGKILLed during rendezvous, SIGKILLed and SIGSTOPped during all-reduce: the job resumes from its checkpoint and ends with the right total', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omnitrain-launch-'));
    const nproc = 2;
    const steps = 14;
    const ckpt = join(dir, 'checkpoint.json');
    const stepOf = async (): Promise<number> => {
      try {
        return (JSON.parse(await readFile(ckpt, 'utf8')) as { step: number }).step;
      } catch {
        return 0;
      }
    };
    const waitStep = async (atLeast: number): Promise<void> => {
      for (let i = 0; i < 600 && (await stepOf()) < atLeast; i++) await new Promise((r) => setTimeout(r, 50));
    };
    const faults: Array<{ signal: NodeJS.Signals; when: 'rendezvous' | 'allReduce' } | undefined> = [
      { signal: 'SIGKILL', when: 'rendezvous' },
      { signal: 'SIGKILL', when: 'allReduce' },
      { signal: 'SIGSTOP', when: 'allReduce' },
    ];
    const stopped: number[] = [];
    const out = collect();
    const failedAt: number[] = [];
    try {
      const summary = await launchLocal({
        nproc,
        command: process.execPath,
        args: [...TS_NODE_ARGS, fileURLToPath(new URL('../../test-fixtures/step-job.ts', import.meta.url))],
        env: { JOB_DIR: dir, STEPS: String(steps), STEP_MS: '100' },
        maxRestarts: 3,
        restartDelayMs: 100,
        graceMs: 1000,
        stdout: out.stream,
        stderr: collect().stream,
        onEvent: (e) => {
          if (e.type === 'exit' && e.code !== 0) failedAt.push(Date.now());
          if (e.type !== 'start' || !faults[e.attempt]) return;
          const { signal, when } = faults[e.attempt]!;
          const victim = e.pids[rand(nproc)]!;
          void (async () => {
            // Rendezvous: as soon as every worker of this attempt announced it is joining.
            const joining = (): number => out.text().match(new RegExp(`start rank \\d+ restart ${e.attempt} `, 'g'))?.length ?? 0;
            if (when === 'rendezvous') for (let i = 0; i < 600 && joining() < nproc; i++) await new Promise((r) => setTimeout(r, 20));
            else await waitStep((await stepOf()) + 2);
            process.kill(victim, signal);
            if (signal === 'SIGSTOP') stopped.push(Date.now());
          })();
        },
      });
      expect(summary.restarts).toBe(3);
      const result = JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')) as { step: number; total: number };
      // total = sum over steps s of sum over ranks (r + 1)(s + 1)
      expect(result).toEqual({ step: steps, total: ((steps * (steps + 1)) / 2) * ((nproc * (nproc + 1)) / 2) });
      // The frozen worker's peer noticed and exited within 10 s (the launcher then stopped the group).
      const firstExitAfterStop = failedAt.find((t) => t >= stopped[0]!)!;
      expect(firstExitAfterStop - stopped[0]!).toBeLessThan(10_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
