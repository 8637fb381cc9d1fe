import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindsCores, EXIT_CODES } from '@omnitrain/cli';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';
import { writeTinyRun } from '../../test-fixtures/tiny-run.js';

interface Summary { steps: number; worldSize: number; last: Record<string, number>; test: { accuracy: number; loss: number; count: number } }
const summaryOf = async (dir: string, id: string) => JSON.parse(await readFile(join(dir, 'runs', id, 'summary.json'), 'utf8')) as Summary;

describe('omnitrain launch', () => {
  it('trains with 2 data-parallel workers to the same result as 1 process with the same global batch', async () => {
    const tiny = await writeTinyRun(16 + Math.floor(Math.random() * 10));
    const [launched, single] = [
      await runOmnitrain(['launch', '--nproc', '2', tiny.config, '--run-id', 'dp'], { cwd: tiny.dir, timeoutMs: 90_000 }),
      await runOmnitrain(['train', tiny.config, '--run-id', 'sp'], { cwd: tiny.dir }),
    ];
    expect(launched.code, launched.stderr).toBe(EXIT_CODES.ok);
    expect(single.code, single.stderr).toBe(EXIT_CODES.ok);
    expect(launched.stderr).toContain('[rank 0] epoch 2/2');
    expect(launched.stdout).toMatch(/launch: 2 workers finished in [\d.]+ s after 0 restart\(s\)/);
    const [dp, sp] = [await summaryOf(tiny.dir, 'dp'), await summaryOf(tiny.dir, 'sp')];
    expect(dp.worldSize).toBe(2);
    expect(dp.steps).toBe(sp.steps);
    expect(dp.test.count).toBe(sp.test.count);
    expect(dp.last['loss']).toBeCloseTo(sp.last['loss']!, 3);
    expect(dp.test.loss).toBeCloseTo(sp.test.loss, 3);
  });

  it('restarts the group from the last checkpoint when a worker is killed, and completes', async () => {
    const tiny = await writeTinyRun(16);
    const latestJson = join(tiny.dir, 'runs', 'k', 'checkpoints', 'latest.json');
    let pids: number[] = [];
    let killed: number | undefined;
    const r = await runOmnitrain(
      ['launch', '--nproc', '2', '--max-restarts', '1', tiny.config, '--run-id', 'k', '--set', 'train.epochs=6', '--set', 'train.checkpoint={everySteps: 2}'],
      {
        cwd: tiny.dir,
        timeoutMs: 120_000,
        onOutput: (text) => {
          const started = /attempt 1: workers started \(pids (\d+), (\d+)\)/.exec(text);
          if (started) pids = [Number(started[1]), Number(started[2])];
          if (killed === undefined && pids.length === 2 && existsSync(latestJson)) {
            killed = pids[Math.floor(Math.random() * 2)]!;
            process.kill(killed, 'SIGKILL');
          }
        },
      },
    );
    expect(killed, r.stderr).toBeDefined();
    expect(r.code, r.stderr).toBe(EXIT_CODES.ok);
    expect(r.stderr).toMatch(/launch: rank [01] exited with SIGKILL/);
    expect(r.stderr).toMatch(/\[rank 0\] resuming from .*step-\d{8}\.safetensors \(step [1-9]/);
    expect(r.stdout).toContain('after 1 restart(s)');
    const k = await summaryOf(tiny.dir, 'k');
    expect(k).toMatchObject({ worldSize: 2, epochs: 6 });
  });

  it('SIGTERM to the launcher stops every worker and exits 130 (no orphans)', async () => {
    const tiny = await writeTinyRun(16);
    let pids: number[] = [];
    let signalled = false;
    const r = await runOmnitrain(['launch', '--nproc', '2', tiny.config, '--run-id', 't', '--set', 'train.epochs=500'], {
      cwd: tiny.dir,
      timeoutMs: 60_000,
      onOutput: (text, child) => {
        const started = /attempt 1: workers started \(pids (\d+), (\d+)\)/.exec(text);
        if (started) pids = [Number(started[1]), Number(started[2])];
        // Once both workers train, interrupt the launcher itself.
        if (!signalled && pids.length === 2 && /\[rank 0\] epoch 1\/500/.test(text)) {
          signalled = true;
          child.kill('SIGTERM');
        }
      },
    });
    expect(signalled, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(EXIT_CODES.interrupted);
    expect(r.stderr).toContain('launch: stopping the workers');
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(pids.map(alive)).toEqual([false, false]);
  });

  it('stops at a config error before starting workers (exit 2)', async () => {
    const tiny = await writeTinyRun(4);
    const r = await runOmnitrain(['launch', '--nproc', '2', tiny.config, '--set', 'train.epoks=1'], { cwd: tiny.dir });
    expect(r.code).toBe(EXIT_CODES.config);
    expect(r.stderr).toContain('train.epoks: unknown key; did you mean "epochs"?');
    expect(r.stderr).not.toContain('[rank');
  });
});

describe('bindsCores', () => {
  it('binds CPU backends in auto mode, never a GPU one; on/off win; OMNITRAIN_BACKEND is the backend when set', () => {
    const saved = process.env['OMNITRAIN_BACKEND'];
    try {
      delete process.env['OMNITRAIN_BACKEND'];
      expect(['wasm', 'cpu', 'tensorflow'].map((b) => bindsCores('auto', b))).toEqual([true, true, true]);
      expect(bindsCores('auto', 'tensorflow-gpu')).toBe(false);
      expect(bindsCores('on', 'tensorflow-gpu')).toBe(true);
      expect(bindsCores('off', 'wasm')).toBe(false);
      // auto backend: unbound only where tfjs-node-gpu is installed AND an NVIDIA device is there (this
      // repo installs the package as an optional dependency, so the device decides on CPU machines).
      let gpuInstalled = true;
      try {
        createRequire(import.meta.url).resolve('@tensorflow/tfjs-node-gpu/package.json');
      } catch {
        gpuInstalled = false;
      }
      const device = existsSync('/dev/nvidia0') || (existsSync('/proc/driver/nvidia/gpus') && readdirSync('/proc/driver/nvidia/gpus').length > 0);
      const savedCuda = process.env['CUDA_VISIBLE_DEVICES'];
      delete process.env['CUDA_VISIBLE_DEVICES'];
      expect(bindsCores('auto', 'auto')).toBe(!(gpuInstalled && device));
      process.env['CUDA_VISIBLE_DEVICES'] = '-1'; // GPUs hidden: CPU workers, bound
      expect(bindsCores('auto', 'auto')).toBe(true);
      if (savedCuda === undefined) delete process.env['CUDA_VISIBLE_DEVICES'];
      else process.env['CUDA_VISIBLE_DEVICES'] = savedCuda;
      process.env['OMNITRAIN_BACKEND'] = 'tensorflow-gpu';
      expect(bindsCores('auto', 'wasm')).toBe(false);
    } finally {
      if (saved === undefined) delete process.env['OMNITRAIN_BACKEND'];
      else process.env['OMNITRAIN_BACKEND'] = saved;
    }
  });
});
