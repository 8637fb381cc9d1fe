import { describe, expect, it } from 'vitest';
import { markWorkerPhase, parseWorkerPhase, WORKER_PHASES } from '@omnitrain/distributed';

describe('markWorkerPhase / parseWorkerPhase', () => {
  it('writes a mark only when the launcher asked, and the launcher reads it back', () => {
    const lines: string[] = [];
    const out = { write: (l: string) => lines.push(l) };
    const phase = WORKER_PHASES[Math.floor(Math.random() * WORKER_PHASES.length)]!;
    markWorkerPhase(phase, {}, out);
    markWorkerPhase(phase, { OMNITRAIN_PHASE_MARKS: '0' }, out);
    expect(lines).toEqual([]);
    const before = Date.now();
    markWorkerPhase(phase, { OMNITRAIN_PHASE_MARKS: '1' }, out);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const mark = parseWorkerPhase(lines[0]!.trimEnd());
    expect(mark?.phase).toBe(phase);
    expect(mark!.time).toBeGreaterThanOrEqual(before - 1);
    expect(mark!.time).toBeLessThanOrEqual(Date.now() + 1);
  });
  it('ignores every other line', () => {
    for (const line of ['epoch 1/2 loss 0.3', '@omnitrain-phase warp 12', '@omnitrain-phase resume soon', ' @omnitrain-phase resume 12']) {
      expect(parseWorkerPhase(line)).toBeUndefined();
    }
    expect(parseWorkerPhase('@omnitrain-phase standby 12.5')).toEqual({ phase: 'standby', time: 12.5 });
  });
});
