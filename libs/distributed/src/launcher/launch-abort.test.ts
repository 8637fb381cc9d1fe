import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DistributedError } from '@omnitrain/core';
import { launchGroup } from '@omnitrain/distributed';
import type { LaunchEvent } from '@omnitrain/distributed';
import { isAlive } from '../../test-fixtures/is-alive.js';


describe('launchGroup with an AbortSignal', () => {
  it('stops every worker (SIGTERM, then SIGKILL for one that ignores it), restarts nothing, and rejects', async () => {
    const controller = new AbortController();
    const events: LaunchEvent[] = [];
    let pids: number[] = [];
    let ups = 0;
    // Rank 0 sleeps; rank 1 ignores SIGTERM and must be SIGKILLed after the grace period.
    const sleeper = 'setInterval(() => {}, 1000); console.log("up")';
    const stubborn = 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000); console.log("up")';
    let abortedAt = 0;
    const launch = launchGroup({
      maxRestarts: 3,
      graceMs: 400,
      signal: controller.signal,
      // Abort once both workers are up (their SIGTERM handler installed), however slow the start.
      stdout: new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          ups += (chunk.toString().match(/\] up/g) ?? []).length;
          if (ups === 2) {
            setTimeout(() => {
              abortedAt = Date.now();
              controller.abort('test');
            }, 100);
          }
          done();
        },
      }),
      workers: () => [
        { rank: 0, argv: [process.execPath, '-e', sleeper], env: {} },
        { rank: 1, argv: [process.execPath, '-e', stubborn], env: {} },
      ],
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'start') pids = e.pids;
      },
    });
    await expect(launch).rejects.toThrow(DistributedError);
    await expect(launch).rejects.toThrow(/stopped by the caller \(test\)/);
    expect(Date.now() - abortedAt).toBeLessThan(5000); // grace 400 ms, then SIGKILL
    expect(pids).toHaveLength(2);
    expect(pids.map(isAlive)).toEqual([false, false]);
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
    expect(pids.map(isAlive)).toEqual([false]);
  });
});
