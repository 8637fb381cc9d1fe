// Deadlines of ZmqCollective calls: one watchdog timer per collective, re-armed per call (zmq-collective.ts #call).
// Two ranks in this process over real sockets.
import { describe, expect, it } from 'vitest';
import { ZmqCollective, findFreePort } from '@omnitrain/distributed';

const rand = (k: number): number => Math.floor(Math.random() * k);

describe('ZmqCollective deadlines', () => {
  it('a long deadline after a short one fires when it passes (not at the earlier timer), with a stall report; calls keep their order', async () => {
    const masterPort = await findFreePort();
    const jobId = `deadline-${rand(1e9)}`;
    const [c0, c1] = await Promise.all([0, 1].map((rank) => ZmqCollective.connect({ rank, worldSize: 2, masterPort, jobId, heartbeatTimeoutMs: 60_000 })));
    try {
      // Short-deadline calls arm the watchdog early; queued calls run in call order with results equal to the sum.
      const inputs = Array.from({ length: 4 }, () => [0, 1].map(() => Float32Array.from({ length: 1 + rand(300) * 10 }, () => Math.random())));
      const sizes = inputs.map((p) => Math.max(p[0]!.length, p[1]!.length));
      const arrays = inputs.map((p, k) => p.map((a) => Float32Array.from({ length: sizes[k]! }, (_, i) => a[i] ?? 0)));
      const want = arrays.map((p) => p[0]!.map((x, i) => Math.fround(x + p[1]![i]!)));
      const outs = await Promise.all([c0!, c1!].map((c, r) => Promise.all(arrays.map((p) => c.allReduce(Float32Array.from(p[r]!), 'sum', { deadlineMs: 300 + rand(100) })))));
      for (const o of outs) for (let k = 0; k < want.length; k++) expect(o[k]).toEqual(want[k]);

      // Rank 1 skips this call: rank 0 fails at its own deadline (1200 ms), after the earlier 300-400 ms timer fired and re-armed.
      const deadlineMs = 1200;
      const t0 = performance.now();
      const err = await c0!.allReduce(new Float32Array(16), 'sum', { deadlineMs }).then(() => undefined, (e: Error) => e);
      const ms = performance.now() - t0;
      expect(err?.message).toMatch(/within 1200 ms/);
      expect(err?.message).toMatch(/stall report/);
      expect(ms).toBeGreaterThanOrEqual(deadlineMs - 5);
      expect(ms).toBeLessThan(deadlineMs + 1500);
      // The collective is failed: a later call rejects at once.
      await expect(c0!.barrier('after')).rejects.toThrow();
    } finally {
      await Promise.all([c0!.close(), c1!.close()]);
    }
  }, 20_000);
});
