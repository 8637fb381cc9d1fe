// The reference run of the launch fault tests: a tiny run launched on 2 workers with nothing killed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runOmnitrain } from './run-omnitrain.js';
import { writeTinyRun } from './tiny-run.js';
import type { TinyRun } from './tiny-run.js';

/**
 * Writes a tiny run of `rows` samples and launches it (`omnitrain launch --nproc 2 ... --run-id base`
 * with `sets`) to its end.
 *
 * @returns The run's folder and its `summary.json`, to compare runs with faults against.
 * @throws Error with the launcher's output when the launch fails.
 * @example
 * const { tiny, summary } = await failureFreeLaunch<Summary>(['--set', 'train.epochs=4']);
 */
export async function failureFreeLaunch<S>(sets: readonly string[], rows = 16): Promise<{ tiny: TinyRun; summary: S }> {
  const tiny = await writeTinyRun(rows);
  const r = await runOmnitrain(['launch', '--nproc', '2', tiny.config, '--run-id', 'base', ...sets], { cwd: tiny.dir, timeoutMs: 90_000 });
  if (r.code !== 0) throw new Error(`failureFreeLaunch: the failure-free launch exited with ${r.code ?? r.signal}\n${r.stderr}`);
  return { tiny, summary: JSON.parse(await readFile(join(tiny.dir, 'runs', 'base', 'summary.json'), 'utf8')) as S };
}
