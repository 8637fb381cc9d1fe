import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { slurmScript } from '@omnitrain/distributed';
import { FAKE_SRUN } from '@omnitrain/testing';

const rand = (k: number): number => Math.floor(Math.random() * k);

/** A stand-in for `srun` on one host: runs the command as SLURM_NTASKS local tasks, fails if any fails. */
describe('slurmScript', () => {
  it('writes #SBATCH lines, quotes the command, and is valid bash', () => {
    const nodes = 1 + rand(8);
    const tasks = 1 + rand(8);
    const text = slurmScript({ nodes, tasksPerNode: tasks, cpusPerTask: 2, time: '01:00:00', jobName: 'digits run', command: ['node', 'main.js', 'train', "it's.yaml"], env: { OMNITRAIN_RUN_ID: 'r 1' }, maxRestarts: 3 });
    expect(text.startsWith('#!/bin/bash\n')).toBe(true);
    expect(text).toContain(`#SBATCH --nodes=${nodes}\n`);
    expect(text).toContain(`#SBATCH --ntasks-per-node=${tasks}\n`);
    expect(text).toContain("#SBATCH '--job-name=digits run'\n");
    expect(text).toContain("srun --kill-on-bad-exit=1 node main.js train 'it'\\''s.yaml' && exit 0");
    expect(text).toContain("export OMNITRAIN_RUN_ID='r 1'");
    expect(text).toContain('$(seq 0 3)');
    expect(spawnSync('bash', ['-n'], { input: text }).status).toBe(0);
    expect(() => slurmScript({ command: [] })).toThrow(ConfigError);
    expect(() => slurmScript({ command: ['x'], nodes: 0 })).toThrow(/nodes: an integer >= 1/);
    expect(() => slurmScript({ command: ['x'], maxRestarts: -1 })).toThrow(/maxRestarts/);
  });

  it('under (a local stand-in for) srun: every task sees its Slurm place; a failed step restarts with OMNITRAIN_RESTART + 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omnitrain-slurm-'));
    await writeFile(join(dir, 'srun'), FAKE_SRUN);
    await chmod(join(dir, 'srun'), 0o755);
    const ntasks = 2 + rand(2);
    const bad = rand(ntasks);
    // Task `bad` fails in the first attempt; every task appends what it saw.
    const worker = `const e = process.env; require('fs').appendFileSync(${JSON.stringify(join(dir, 'seen'))}, [e.SLURM_PROCID, e.SLURM_NTASKS, e.OMNITRAIN_RESTART, e.OMNITRAIN_RUN_ID, e.OMNITRAIN_JOB_SECRET.length].join(' ') + '\\n'); if (e.SLURM_PROCID === '${bad}' && e.OMNITRAIN_RESTART === '0') process.exit(3);`;
    const script = join(dir, 'job.sbatch');
    await writeFile(script, slurmScript({ command: [process.execPath, '-e', worker], tasksPerNode: ntasks, env: { OMNITRAIN_RUN_ID: 'run-7' }, maxRestarts: 1, cwd: dir }));
    const env = { ...process.env, PATH: `${dir}:${process.env['PATH']}`, SLURM_NTASKS: String(ntasks), SLURM_JOB_ID: String(1 + rand(99999)), SLURM_NODELIST: 'localhost' };
    const out = spawnSync('bash', [script], { env, encoding: 'utf8', timeout: 30_000 });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toContain(`attempt 1 of 2 failed (exit 3)`);
    const seen = (await readFile(join(dir, 'seen'), 'utf8')).trim().split('\n').sort();
    const expected = [0, 1].flatMap((restart) => Array.from({ length: ntasks }, (_, r) => `${r} ${ntasks} ${restart} run-7 48`)).sort();
    expect(seen).toEqual(expected);
    // Without the stand-in, the script would fail on a missing srun, never hang.
    expect(() => execFileSync('bash', [script], { env: { PATH: '/usr/bin:/bin' }, stdio: 'pipe', timeout: 10_000 })).toThrow();
  });
});
