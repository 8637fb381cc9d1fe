import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointFileName, resumeTrainer } from '@omnitrain/engine';
import { tsChildArgs } from '@omnitrain/testing';
import { buildResumeRun } from '../../test-fixtures/resume-run.js';

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, '../../test-fixtures/crash-trainer.mjs');

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'engine-crash-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const seed = Math.floor(Math.random() * 1e6);
const stopAt = 7 + Math.floor(Math.random() * 5); // 7..11: mid-epoch or at an epoch's end, between checkpoints

describe(`a training process killed with SIGKILL (seed ${seed}, killed at step ${stopAt})`, () => {
  it('resumes from its last checkpoint in another process and ends bitwise equal to an uninterrupted run', async () => {
    const dir = join(root, 'run');
    const proc = spawn(process.execPath, tsChildArgs(child, dir, String(seed), String(stopAt)), { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = once(proc, 'exit');
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child gave no progress in 40 s: ${stderr.slice(-2000)}`)), 40_000);
      proc.stdout.on('data', (d: Buffer) => {
        clearTimeout(timer);
        resolve(d.toString().trim());
      });
      proc.on('exit', (code) => reject(new Error(`child exited ${code}: ${stderr.slice(-2000)}`)));
    });
    expect(line).toBe(`at ${stopAt}`);
    proc.kill('SIGKILL');
    expect(await exited).toEqual([null, 'SIGKILL']);
    const last = Math.floor(stopAt / 3) * 3;
    expect((await readdir(dir)).filter((f) => f.endsWith('.safetensors')).sort()).toEqual([last - 3, last].map(checkpointFileName));

    const straight = buildResumeRun(join(root, 'straight'), seed);
    await straight.trainer.fit();
    const resumed = buildResumeRun(dir, seed);
    expect(await resumeTrainer(resumed.trainer, dir)).toBe(join(dir, checkpointFileName(last)));
    expect(resumed.trainer.step).toBe(last);
    await resumed.trainer.fit();
    for (const [n, v] of Object.entries(straight.model.variables)) {
      expect(Array.from(resumed.model.variables[n]!.dataSync()), n).toEqual(Array.from(v.dataSync()));
    }
    expect(resumed.trainer.history.epochs).toEqual(straight.trainer.history.epochs);
    straight.model.dispose();
    resumed.model.dispose();
  });
});
