import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DistributedError } from '@omnitrain/core';
import { launchGroup } from '@omnitrain/distributed';
import type { LaunchEvent } from '@omnitrain/distributed';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('launchGroup with an AbortSignal', () => {
  it('stops every worker (SIGTERM, then SIGKILL for one that ignores it), restarts nothing, and rejects', async () => {
    const controller = new AbortController();
    const events: LaunchEvent[] = [];
    let pids: number[] = [];
    // Rank 0 sleeps; rank 1 ignores SIGTERM and must be SIGKILLed after the grace period.
    const sleeper = 'setInterval(() => {}, 1000); console.log("up")';
    const stubborn = 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000); console.log("up")';
    const started = Date.now();
    const launch = launchGroup({
      maxRestarts: 3,
      graceMs: 400,
      signal: controller.signal,
      stdout: new Writable({ write: (_chunk, _encoding, done) => done() }),
      workers: () => [
        { rank: 0, argv: [process.execPath, '-e', sleeper], env: {} },
        { rank: 1, argv: [process.execPath, '-e', stubborn], env: {} },
      ],
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'start') {
          pids = e.pids;
          setTimeout(() => controller.abort('test'), 300);
        }
      },
    });
    await expect(launch).rejects.toThrow(DistributedError);
    await expect(launch).rejects.toThrow(/stopped by the caller \(test\)/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(pids).toHaveLength(2);
    expect(pids.map(alive)).toEqual([false, false]);
    expect(events.filter((e) => e.type === 'start')).toHaveLength(1); // no restart
    const exits = events.filter((e): e is Extract<LaunchEvent, { type: 'exit' }> => e.type === 'exit').sort((a, b) => a.rank - b.rank);
    expect(exits.map((e) => e.signal)).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('an already-aborted signal starts and stops the group at once', async () => {
    const controller = new AbortController();
    controller.abort('before');
    let pids: number[] = [];
    await expect(
      launchGroup({
        signal: controller.signal,
        graceMs: 200,
        workers: () => [{ rank: 0, argv: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], env: {} }],
        onEvent: (e) => {
          if (e.type === 'start') pids = e.pids;
        },
      }),
    ).rejects.toThrow(/stopped by the caller \(before\)/);
    expect(pids.map(alive)).toEqual([false]);
  });
});
