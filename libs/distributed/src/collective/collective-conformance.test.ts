// One conformance suite for every Collective: InMemoryCollective in-process and ZmqCollective
// with real worker processes (one process group per world size serves all its cases).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryCollective } from '@omnitrain/distributed';
import { runCase } from '../../test-fixtures/conformance-cases.js';
import type { CaseResult } from '../../test-fixtures/conformance-cases.js';
import { startZmqGroup } from '../../test-fixtures/worker-group.js';

interface Group {
  run(name: string, params: Record<string, unknown>): Promise<CaseResult[]>;
  close(): Promise<void>;
}

const implementations: Record<string, (n: number) => Promise<Group>> = {
  InMemoryCollective: async (n) => {
    const cs = InMemoryCollective.group(n);
    return {
      run: (name, params) => Promise.all(cs.map((c) => runCase(c, name, params))),
      close: async () => void (await Promise.all(cs.map((c) => c.close()))),
    };
  },
  ZmqCollective: async (n) => {
    // N = 3 runs with a job secret, so the whole suite also passes over CURVE-encrypted sockets.
    const env: Record<string, string> = n === 3 ? { OMNITRAIN_JOB_SECRET: `conformance-${Math.random()}` } : {};
    // N = 4 runs the direct all-reduce over the mesh of the net data plane (N = 2 and 3: the ring).
    const g = await startZmqGroup(n, { segmentBytes: 65536 + 4 * Math.floor(Math.random() * 4096), ...(n === 4 ? { allReduceAlgorithm: 'direct' } : {}) }, env);
    return {
      run: async (name, params) =>
        (await g.run(name, params)).map((r, rank) => {
          if (r.error) throw new Error(`rank ${rank}: ${r.error}`);
          return r.result!;
        }),
      close: () => g.close(),
    };
  },
};

const rand = (k: number): number => Math.floor(Math.random() * k);
/** Float32 ring sums differ from the float64 reference by a few ulps of the magnitudes. */
const TOL = 1e-6;

function expectReduced(results: CaseResult[], n: number): void {
  for (const r of results) {
    expect(r['length']).toBe(n);
    expect(r['error']).toBeLessThan(TOL);
    expect(r['same']).toBe(true);
  }
  expect(new Set(results.map((r) => r['hash'])).size).toBe(1); // every rank holds identical bits
}

for (const [impl, start] of Object.entries(implementations)) {
  describe(`Collective conformance: ${impl}`, () => {
    for (const n of [1, 2, 3, 4]) {
      describe(`N = ${n}`, () => {
        let group: Group;
        let groupReady: Promise<Group>;
        beforeAll(() => {
          groupReady = start(n).then((g) => (group = g));
        });
        afterAll(async () => group?.close());

        it('allReduce sum equals the float64 reference for sizes 0, 1, odd and larger; every rank gets the same bits', async () => {
          await groupReady;
          for (const size of [0, 1, 2 * rand(3000) + 1, n + 1, 50_000 + rand(250_000)]) {
            expectReduced(await group.run('allReduce', { n: size, op: 'sum', seed: rand(1e9) }), size);
          }
        });

        it('allReduce mean, max and min', async () => {
          await groupReady;
          for (const op of ['mean', 'max', 'min']) {
            const size = 2 * rand(5000) + 3;
            expectReduced(await group.run('allReduce', { n: size, op, seed: rand(1e9) }), size);
          }
        });

        it('reduceScatter gives each rank its reduced chunk (even split, uneven counts with zeros; sizes 0, 1, odd)', async () => {
          await groupReady;
          /** Random counts summing to size, some of them zero. */
          const randomCounts = (size: number): number[] => {
            const cuts = Array.from({ length: n - 1 }, () => (rand(3) === 0 ? 0 : rand(size + 1))).sort((a, b) => a - b);
            return [...cuts, size].map((c, k) => c - (k === 0 ? 0 : cuts[k - 1]!));
          };
          const cases: Array<{ size: number; op: string; counts?: number[] }> = [
            { size: 0, op: 'sum' },
            { size: 1, op: 'sum' },
            { size: 2 * rand(3000) + 1, op: 'sum' },
            { size: 50_000 + rand(150_000), op: 'sum' },
            { size: 2 * rand(3000) + 1, op: ['mean', 'max', 'min'][rand(3)]! },
            { size: 1 + rand(3), op: 'sum', counts: [] },
            { size: 30_000 + rand(100_000), op: 'mean', counts: [] },
          ];
          for (const k of cases) {
            const counts = k.counts ? randomCounts(k.size) : undefined;
            const rs = await group.run('reduceScatter', { n: k.size, op: k.op, seed: rand(1e9), ...(counts ? { counts } : {}) });
            for (const [rank, r] of rs.entries()) {
              expect(r['ok'], String(r['message'])).toBe(true);
              expect(r['length']).toBe(counts ? counts[rank] : Math.floor(((rank + 1) * k.size) / n) - Math.floor((rank * k.size) / n));
              expect(r['length']).toBe(r['expectedLength']);
              expect(r['view']).toBe(true);
              expect(r['error']).toBeLessThan(TOL);
            }
          }
          // A count of zero for one rank and everything for another.
          if (n > 1) {
            const size = 1 + rand(5000);
            const counts = Array.from({ length: n }, () => 0);
            counts[rand(n)] = size;
            const rs = await group.run('reduceScatter', { n: size, op: 'sum', seed: rand(1e9), counts });
            for (const [rank, r] of rs.entries()) {
              expect(r['ok'], String(r['message'])).toBe(true);
              expect(r['length']).toBe(counts[rank]);
              expect(r['error']).toBeLessThan(TOL);
            }
          }
        });

        it('reduceScatter rejects counts that do not sum to the length, naming the sum', async () => {
          await groupReady;
          const size = 10 + rand(100);
          const counts = Array.from({ length: n }, () => 0);
          counts[0] = size + 1 + rand(5);
          // Every rank passes the same bad counts, so every rank rejects before sending anything (the group stays in step).
          for (const r of await group.run('reduceScatter', { n: size, op: 'sum', seed: 1, counts })) {
            expect(r['ok']).toBe(false);
            expect(r['message']).toContain(`counts summing to data.length ${size}`);
          }
        });

        it('concurrent calls on one rank run in call order', async () => {
          await groupReady;
          const sizes = Array.from({ length: 6 }, () => 1 + rand(20_000));
          const rs = await group.run('concurrent', { sizes, seed: rand(1e9) });
          for (const r of rs) {
            expect(r['lengths']).toEqual(sizes);
            for (const e of r['errors'] as number[]) expect(e).toBeLessThan(TOL);
          }
          expect(new Set(rs.map((r) => JSON.stringify(r['hashes']))).size).toBe(1);
        });

        it('broadcast copies the root\'s floats and bytes to every rank', async () => {
          await groupReady;
          const root = rand(n);
          for (const bytes of [false, true]) {
            const rs = await group.run('broadcast', { n: 1 + rand(100_000), root, seed: rand(1e9), bytes });
            for (const r of rs) expect(r['equal']).toBe(true);
          }
        });

        it('allGather returns every rank\'s block, of different lengths', async () => {
          await groupReady;
          for (const r of await group.run('allGather', { seed: rand(1e9) })) expect(r['equal']).toBe(true);
          // Random lengths per rank, one of them 0, and one larger than a segment.
          const lengths = Array.from({ length: n }, () => rand(3000));
          lengths[rand(n)] = 0;
          lengths[rand(n)] = 20_000 + rand(50_000);
          for (const r of await group.run('allGather', { seed: rand(1e9), lengths })) expect(r['equal']).toBe(true);
        });

        it('barrier passes with equal labels and names the rank with another label', async () => {
          await groupReady;
          for (const r of await group.run('barrier', { label: 'epoch-1' })) expect(r['ok']).toBe(true);
          if (n === 1) return;
          const odd = rand(n);
          const rs = await group.run('barrier', { label: 'epoch-2', oddRank: odd });
          for (const [rank, r] of rs.entries()) {
            expect(r['ok']).toBe(false);
            expect(r['message']).toContain(`rank ${rank === odd ? (odd === 0 ? 1 : 0) : odd} at a barrier with another label`);
          }
        });

        if (n === 2 || n === 4) {
          it('allReduce of 25M floats', async () => {
            await groupReady;
            expectReduced(await group.run('allReduce', { n: 25_000_000, op: 'sum', seed: rand(1e9), stride: 5 }), 25_000_000);
          });
        }

        // Last: a missed call leaves the group out of step.
        it('a deadline fires with a stall report naming the late rank', async () => {
          await groupReady;
          if (n === 1) return;
          const skip = rand(n);
          const rs = await group.run('deadline', { skipRank: skip, deadlineMs: 1000 });
          for (const [rank, r] of rs.entries()) {
            if (rank === skip) continue;
            expect(r['ok']).toBe(false);
            expect(r['message']).toMatch(new RegExp(`late ranks: ${skip} `));
            expect(r['ms']).toBeGreaterThanOrEqual(950);
            expect(r['ms']).toBeLessThan(6000);
          }
        });
      });
    }
  });
}
