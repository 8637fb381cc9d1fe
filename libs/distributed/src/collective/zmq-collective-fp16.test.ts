// ZmqCollective with the fp16 wire between real worker processes: the net data plane (N = 2) and
// ZeroMQ with CURVE (N = 3, a job secret), through the SIMD half codec.
import { afterAll, describe, expect, it } from 'vitest';
import { startZmqGroup } from '../../test-fixtures/worker-group.js';
import type { WorkerGroup } from '../../test-fixtures/worker-group.js';

const rand = (k: number): number => Math.floor(Math.random() * k);
/** Half precision: 2^-11 relative per rounding, 2^-25 absolute below 2^-14 (subnormals). */
const HALF_EPS = 2 ** -11;
const HALF_FLOOR = 2 ** -14;

describe('ZmqCollective, fp16 on the wire', () => {
  const groups: WorkerGroup[] = [];
  afterAll(async () => void (await Promise.all(groups.map((g) => g.close()))));

  for (const n of [2, 3]) {
    it(`N = ${n}${n === 3 ? ' (CURVE)' : ''}: sum and mean within half precision of the float64 reference, the same bits on every rank, in place`, async () => {
      const env: Record<string, string> = n === 3 ? { OMNITRAIN_JOB_SECRET: `fp16-${Math.random()}` } : {};
      const g = await startZmqGroup(n, { fp16: true, segmentBytes: 65_536 + 4 * rand(4096) }, env);
      groups.push(g);
      for (const [size, op] of [[1, 'sum'], [2 * rand(3000) + 1, 'mean'], [70_000 + rand(250_000), 'sum'], [20_000 + rand(50_000), 'mean']] as const) {
        const rs = await g.run('allReduce', { n: size, op, seed: rand(1e9), errorFloor: HALF_FLOOR });
        for (const [rank, r] of rs.entries()) {
          expect(r.error, `rank ${rank}: ${r.error}`).toBeUndefined();
          const out = r.result!;
          expect(out['length']).toBe(size);
          expect(out['same']).toBe(true);
          // One rounding of each of the N-1 partial sums and of the result (the owner's): <= N of them.
          expect(out['error']).toBeLessThan((n + 1) * HALF_EPS);
          // ... and the values did travel as halves (float32 sums err by ~1e-7; halves round by up to 2^-12 over thousands of values).
          if (size >= 1000) expect(out['error']).toBeGreaterThan(2 ** -16);
        }
        expect(new Set(rs.map((r) => r.result!['hash'])).size).toBe(1);
      }
    }, 60_000);
  }
});
