// A tiny multi-step distributed job for the launcher fault tests: each step all-reduces
// (rank + 1) * (step + 1) over the ranks and rank 0 adds it to a running total, checkpointed
// atomically with the step counter, so a restarted group resumes where the last checkpoint was.
// Env: JOB_DIR (checkpoint + result folder), STEPS, STEP_MS (pause per step).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@omnitrain/core';
import { ZmqCollective, readClusterEnv } from '@omnitrain/distributed';

const dir = process.env['JOB_DIR']!;
const steps = Number(process.env['STEPS']);
const stepMs = Number(process.env['STEP_MS'] ?? 0);
const env = readClusterEnv();
const ckptFile = join(dir, 'checkpoint.json');
let state = { step: 0, total: 0 };
try {
  state = JSON.parse(await readFile(ckptFile, 'utf8')) as typeof state;
} catch {
  // no checkpoint yet: start at step 0
}
console.log(`start rank ${env.rank} restart ${env.restart} at step ${state.step}`);
const collective = await ZmqCollective.fromEnv(process.env, { rendezvousTimeoutMs: 30_000 });
for (let step = state.step; step < steps; step++) {
  collective.step = step;
  const v = await collective.allReduce(Float32Array.of((env.rank + 1) * (step + 1)), 'sum', { deadlineMs: 30_000 });
  state = { step: step + 1, total: state.total + v[0]! };
  if (env.rank === 0) await writeFileAtomic(ckptFile, [Buffer.from(JSON.stringify(state))]);
  await collective.barrier(`step-${step}`, { deadlineMs: 30_000 });
  if (stepMs) await new Promise((r) => setTimeout(r, stepMs));
}
if (env.rank === 0) await writeFileAtomic(join(dir, 'result.json'), [Buffer.from(JSON.stringify(state))]);
await collective.close();
