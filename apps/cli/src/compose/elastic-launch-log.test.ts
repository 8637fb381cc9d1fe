import { describe, expect, it } from 'vitest';
import { elasticLaunchLog } from '@omnitrain/cli';

const rand = (k: number): number => Math.floor(Math.random() * k);

describe('elasticLaunchLog', () => {
  it('names the dead rank by its generation rank, counts the survivors, and tells generations, replacements, exclusions apart', () => {
    const lines: string[] = [];
    const on = elasticLaunchLog({ write: (l) => lines.push(l.trimEnd()) });
    const pids = [1000 + rand(1000), 3000 + rand(1000), 5000 + rand(1000)];
    // A fourth worker dies before any generation formed: there is no generation to regroup after.
    const early = 7000 + rand(1000);
    on({ type: 'start', attempt: 0, port: 1234, pids: [...pids, early] });
    on({ type: 'exit', attempt: 0, rank: 3, code: 1, signal: null, pid: early });
    // Generation 0 assigns ranks in reverse of the slots: the lines must use the generation's rank.
    on({ type: 'regroup', attempt: 0, generation: 0, reason: 'start', members: pids.map((pid, i) => ({ rank: 2 - i, pid, host: 'h', appliedSteps: 0 })) });
    const victim = rand(3);
    on({ type: 'exit', attempt: 0, rank: victim, code: null, signal: 'SIGKILL', pid: pids[victim]! });
    const rest = pids.filter((_, i) => i !== victim);
    const afterFailureMs = 100 + rand(2000);
    on({ type: 'regroup', attempt: 0, generation: 1, reason: 'failure', afterFailureMs, members: rest.map((pid, rank) => ({ rank, pid, host: 'h', appliedSteps: 5 })) });
    on({ type: 'replace', attempt: 0, slot: victim, delayMs: 1000, failures: 1 });
    const joiner = 9000 + rand(100);
    on({ type: 'joiner', attempt: 0, slot: victim, pid: joiner });
    on({ type: 'waiting', attempt: 0, pids: [joiner] });
    on({ type: 'excluded', attempt: 0, pid: rest[1]!, reason: 'no hello within 10000 ms' });
    on({ type: 'exit', attempt: 0, rank: 0, code: null, signal: 'SIGKILL', pid: rest[1]!, stoppedBy: 'excluded: no hello within 10000 ms' });
    on({ type: 'below-min', attempt: 0, alive: 1, min: 2 });
    const gen0 = pids.map((pid, i) => ({ rank: 2 - i, pid })).sort((a, b) => a.rank - b.rank).map((m) => `rank ${m.rank}: pid ${m.pid}`);
    expect(lines).toEqual([
      `launch: rank 3 (pid ${early}) died (1); 3 worker(s) continue, the group forms without it`,
      `launch: generation 0 formed (start): 3 worker(s) (${gen0.join(', ')})`,
      `launch: rank ${2 - victim} (pid ${pids[victim]}) died (SIGKILL); 2 worker(s) continue, regrouping after generation 0`,
      `launch: generation 1 formed (failure, ${(afterFailureMs / 1000).toFixed(2)} s after the failure): 2 worker(s) (rank 0: pid ${rest[0]}, rank 1: pid ${rest[1]})`,
      `launch: slot ${victim} failed 1 time(s); a replacement starts in 1000 ms`,
      `launch: replacement for slot ${victim} started (pid ${joiner}); it joins the group at the next step`,
      `launch: pid ${joiner} waiting to join; the group takes it in at its next step`,
      `launch: pid ${rest[1]} excluded from the group (no hello within 10000 ms); killing it`,
      `launch: rank 1 (pid ${rest[1]}) stopped by the launcher (excluded: no hello within 10000 ms), exit SIGKILL`,
      'launch: 1 live worker(s), fewer than the elastic minimum 2; restarting the group from the last checkpoint',
    ]);
  });
});
