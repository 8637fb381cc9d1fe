import { describe, expect, it } from 'vitest';
import { formatTrialTable, parseSearchSpace, randomSampler, Study, TrialPrunedError, trialsFromEvents } from '@omnitrain/tune';
import type { TrialEventDraft } from '@omnitrain/tune';

const space = parseSearchSpace('x: { uniform: [0, 1] }\nn: { choice: [1, 2, 3] }');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Study', () => {
  it('runs N trials with a concurrency limit, records events, survives failures, picks the best', async () => {
    const events: TrialEventDraft[] = [];
    let running = 0;
    let peak = 0;
    const study = new Study({ space, sampler: randomSampler(Math.floor(Math.random() * 1e6)), direction: 'max', metric: 'score', searchId: 's1', onEvent: (e) => void events.push(e) });
    const { trials, best } = await study.optimize(
      async (p, trial) => {
        running++;
        peak = Math.max(peak, running);
        try {
          await sleep(5 + 10 * Math.random());
          trial.report(1, p['x'] as number);
          if (trial.number === 2) throw new Error('boom');
          if (trial.number === 4) throw new TrialPrunedError(1);
          return (p['x'] as number) * (p['n'] as number);
        } finally {
          running--;
        }
      },
      { trials: 7, concurrency: 3 },
    );
    expect(trials).toHaveLength(7);
    expect(peak).toBe(3);
    expect(trials[2]!).toMatchObject({ state: 'failed', error: 'boom' });
    expect(trials[4]!.state).toBe('pruned');
    const done = trials.filter((t) => t.state === 'completed');
    expect(done).toHaveLength(5);
    const oracle = done.reduce((a, t) => (t.value! > a.value! ? t : a));
    expect(best).toBe(oracle);
    for (const t of done) expect(t.value).toBeCloseTo((t.params['x'] as number) * (t.params['n'] as number), 12);
    // Every trial: started first, then running, then one final state.
    for (const t of trials) {
      const mine = events.filter((e) => e.trialId === t.id).map((e) => e.state);
      expect(mine[0]).toBe('started');
      expect(mine.at(-1)).toBe(t.state);
      expect(mine).toContain('running');
    }
    expect(events.every((e) => e.searchId === 's1' && e.kind === 'trial')).toBe(true);
    const table = formatTrialTable(trials, { metric: 'score', best });
    expect(table.split('\n')).toHaveLength(9);
    expect(table).toContain(`${best!.id}*`);

    // Resume: finished trials come back from the events; only the missing ones run.
    const previous = trialsFromEvents(events as { kind: string }[], 's1');
    expect(previous.map((t) => [t.id, t.state, t.value])).toEqual(trials.map((t) => [t.id, t.state, t.value]));
    const ran: string[] = [];
    const resumed = new Study({ space, sampler: randomSampler(1), direction: 'max', searchId: 's1', previous });
    const again = await resumed.optimize(async (p, trial) => (ran.push(trial.id), p['x'] as number), { trials: 9 });
    expect(ran).toEqual(['t0007', 't0008']);
    expect(again.trials).toHaveLength(9);
  });

  it('rejects bad trial counts', async () => {
    const study = new Study({ space, sampler: randomSampler() });
    await expect(study.optimize(async () => 0, { trials: 2, concurrency: 0 })).rejects.toThrow(/concurrency/);
  });
});
