// The generated sbatch script, run on this host with a stand-in for `srun` (2 local tasks with
// faked SLURM_* variables): the real `omnitrain train` workers find each other from the Slurm
// variables alone (rendezvous on the node list's first host, port from the job id), train
// data-parallel, and match one process with the same global batch.
import { spawnSync } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '@omnitrain/cli';
import { CLI_MAIN, runOmnitrain } from '../../test-fixtures/run-omnitrain.js';
import { writeTinyRun } from '../../test-fixtures/tiny-run.js';
import { FAKE_SRUN } from '@omnitrain/testing';

interface Summary { steps: number; worldSize: number; last: Record<string, number> }

describe('omnitrain under Slurm (generated sbatch script)', () => {
  it('2 srun tasks form a group from SLURM_* variables and train like one process with the same global batch', async () => {
    const tiny = await writeTinyRun(16);
    await writeFile(join(tiny.dir, 'srun'), FAKE_SRUN);
    await chmod(join(tiny.dir, 'srun'), 0o755);
    // The script `omnitrain launch --slurm` prints, run as sbatch would.
    const printed = await runOmnitrain(['launch', '--slurm', '--nproc', '2', '--max-restarts', '0', tiny.config, '--run-id', 'slurm'], { cwd: tiny.dir });
    expect(printed.code, printed.stderr).toBe(EXIT_CODES.ok);
    const script = printed.stdout;
    expect(script).toContain('#SBATCH --ntasks-per-node=2');
    expect(script).toContain(`srun --kill-on-bad-exit=1 node ${CLI_MAIN} train `);
    await writeFile(join(tiny.dir, 'job.sbatch'), script);
    const env = { ...process.env, FORCE_COLOR: '0', PATH: `${tiny.dir}:${process.env['PATH']}`, SLURM_NTASKS: '2', SLURM_NNODES: '1', SLURM_JOB_ID: String(1 + Math.floor(Math.random() * 999_999)), SLURM_NODELIST: 'localhost' };
    const slurm = spawnSync('bash', [join(tiny.dir, 'job.sbatch')], { env, encoding: 'utf8', timeout: 90_000 });
    expect(slurm.status, slurm.stderr).toBe(0);
    const single = await runOmnitrain(['train', tiny.config, '--run-id', 'single'], { cwd: tiny.dir });
    expect(single.code, single.stderr).toBe(EXIT_CODES.ok);
    const read = async (id: string) => JSON.parse(await readFile(join(tiny.dir, 'runs', id, 'summary.json'), 'utf8')) as Summary;
    const [dp, sp] = [await read('slurm'), await read('single')];
    expect(dp.worldSize).toBe(2);
    expect(dp.steps).toBe(sp.steps);
    expect(dp.last['loss']).toBeCloseTo(sp.last['loss']!, 3);
    expect(dp.last['val_loss']).toBeCloseTo(sp.last['val_loss']!, 3);
  }, 150_000);
});
