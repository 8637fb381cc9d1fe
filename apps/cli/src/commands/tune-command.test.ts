import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXIT_CODES } from '@omnitrain/cli';
import { readEvents } from '@omnitrain/telemetry';
import type { EventOfKind } from '@omnitrain/telemetry';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';
import { writeTinyRun } from '../../test-fixtures/tiny-run.js';

describe('omnitrain tune', () => {
  let tiny: Awaited<ReturnType<typeof writeTinyRun>>;
  beforeAll(async () => {
    tiny = await writeTinyRun(24);
    await writeFile(join(tiny.dir, 'space.yaml'), 'optim.optimizer.lr: { loguniform: [1.0e-3, 1.0e-1] }\nmodel.fusion.name: { choice: [early, gated] }\n');
  });

  it('runs real training trials, records trial events and writes the best config', async () => {
    const r = await runOmnitrain(['tune', tiny.config, '--space', 'space.yaml', '--trials', '3', '--sampler', 'random', '--pruner', 'asha', '--metric', 'val/accuracy', '--mode', 'max', '--seed', String(Math.floor(Math.random() * 1000)), '--search-id', 's1', '--set', 'train.epochs=2'], { cwd: tiny.dir, timeoutMs: 55_000 });
    expect(r.code, r.stderr).toBe(EXIT_CODES.ok);
    expect(r.stderr).toMatch(/\[tune s1\] t0000 started optim\.optimizer\.lr=/);
    const { events } = await readEvents(join(tiny.dir, 'runs', 's1', 'events.jsonl'));
    const trials = events.filter((e): e is EventOfKind<'trial'> => e.kind === 'trial');
    const ids = [...new Set(trials.map((e) => e.trialId))];
    expect(ids).toEqual(['t0000', 't0001', 't0002']);
    const finals = ids.map((id) => trials.filter((e) => e.trialId === id).at(-1)!);
    for (const f of finals) {
      expect(['completed', 'pruned']).toContain(f.state);
      expect(f.trialRunId).toBe(`s1-${f.trialId}`);
      const lr = f.params['optim.optimizer.lr'] as number;
      expect(lr).toBeGreaterThanOrEqual(1e-3);
      expect(lr).toBeLessThanOrEqual(1e-1);
      expect(['early', 'gated']).toContain(f.params['model.fusion.name']);
      // The trial's own run folder trained with the sampled point.
      const config = JSON.parse(await readFile(join(tiny.dir, 'runs', f.trialRunId!, 'config.json'), 'utf8')) as { optim: { optimizer: { lr: number } }; model: { fusion: { name: string } } };
      expect(config.optim.optimizer.lr).toBe(lr);
      expect(config.model.fusion.name).toBe(f.params['model.fusion.name']);
      // Its objective is the last reported val accuracy, as in its own event log.
      const own = (await readEvents(join(tiny.dir, 'runs', f.trialRunId!, 'events.jsonl'))).events.filter((e): e is EventOfKind<'metric'> => e.kind === 'metric' && e.name === 'accuracy' && e.split === 'val');
      expect(f.objective?.value).toBeCloseTo(own.at(-1)!.value as number, 6);
    }
    // The first trial is alone on rung 1 (ASHA promotes it); the first epoch is reported for all.
    expect(finals[0]!.state).toBe('completed');
    for (const id of ids) expect(trials.some((e) => e.trialId === id && e.state === 'running' && e.step === 1)).toBe(true);
    const completed = finals.filter((f) => f.state === 'completed');
    const best = completed.reduce((a, f) => (f.objective!.value > a.objective!.value ? f : a));
    expect(r.stdout).toContain(`best: ${best.trialId} val/accuracy=`);
    const table = r.stdout.split('\n').filter((l) => /^t000\d/.test(l));
    expect(table).toHaveLength(3);
    expect(table.find((l) => l.startsWith(`${best.trialId}*`))).toBeDefined();
    const bestYaml = parse(await readFile(join(tiny.dir, 'runs', 's1', 'best.yaml'), 'utf8')) as { optim: { optimizer: { lr: number } }; model: { fusion: { name: string } }; train: { callbacks: unknown[] } };
    expect(bestYaml.optim.optimizer.lr).toBe(best.params['optim.optimizer.lr']);
    expect(bestYaml.model.fusion.name).toBe(best.params['model.fusion.name']);
    expect(bestYaml.train.callbacks).toEqual([]);

    // Resume: the 3 finished trials are kept, one more runs.
    const again = await runOmnitrain(['tune', tiny.config, '--space', 'space.yaml', '--trials', '4', '--sampler', 'random', '--pruner', 'none', '--search-id', 's1', '--set', 'train.epochs=1'], { cwd: tiny.dir, timeoutMs: 30_000 });
    expect(again.code, again.stderr).toBe(EXIT_CODES.ok);
    expect(again.stderr).toContain('resuming: 3 finished trial(s) kept');
    expect(again.stderr).not.toContain('t0000 started');
    expect(again.stderr).toContain('t0003 started');
  }, 90_000);

  it('reports a bad space file at file:line:col', async () => {
    await writeFile(join(tiny.dir, 'bad.yaml'), 'model.fusion.name: { choice: [early] }\noptim.optimizer.lr: { loguniform: [0, 1] }\n');
    const r = await runOmnitrain(['tune', tiny.config, '--space', 'bad.yaml'], { cwd: tiny.dir });
    expect(r.code).toBe(EXIT_CODES.config);
    expect(r.stderr).toMatch(/bad\.yaml:2:\d+/);
  });

  it('has --help with an example', async () => {
    const r = await runOmnitrain(['tune', '--help']);
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(r.stdout).toContain('omnitrain tune examples/digits.yaml --space examples/tune-space.yaml');
  });
});
