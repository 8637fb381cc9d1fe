import { describe, expect, it } from 'vitest';
import { formGeneration } from '@omnitrain/distributed';

describe('formGeneration (the membership rule)', () => {
  const c = (pid: number, o: { oldRank?: number; steps?: number; arrival?: number } = {}) => ({ pid, host: `h${pid}`, port: 1000 + pid, generation: o.oldRank === undefined ? -1 : 3, appliedSteps: o.steps ?? 5, reason: 'failure', oldRank: o.oldRank, arrival: o.arrival ?? pid });
  it('survivors keep their order, joiners follow by arrival, max caps, the most advanced (then lowest rank) is the source', () => {
    const f = formGeneration([c(9, { arrival: 1 }), c(4, { oldRank: 2, steps: 6 }), c(7, { oldRank: 0 }), c(8, { arrival: 0 }), c(5, { oldRank: 3, steps: 6 })], { generation: 4, min: 2, max: 4, jobId: 'j' });
    expect(f.ok).toBe(true);
    if (!f.ok) return;
    expect(f.members.map((m) => m.pid)).toEqual([7, 4, 5, 8]);
    expect(f.waiting.map((m) => m.pid)).toEqual([9]);
    expect(f.assignments.map((a) => a.rank)).toEqual([0, 1, 2, 3]);
    expect(f.assignments[2]).toMatchObject({ generation: 4, worldSize: 4, masterAddr: 'h7', masterPort: 1007, jobId: 'j/g4', source: 1, sourceSteps: 6 });
  });
  it('fewer than min forms nothing', () => {
    expect(formGeneration([c(1, { oldRank: 0 })], { generation: 1, min: 2, max: 3, jobId: 'j' })).toEqual({ ok: false, alive: 1 });
  });
});
