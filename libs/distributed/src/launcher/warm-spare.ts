import type { ChildProcess } from 'node:child_process';
import { WORKER_PHASE_ENV, WORKER_PHASE_PREFIX } from './worker-phase.js';

/** The variable that lists the module URLs a standby worker imports while it waits (JSON array). */
export const STANDBY_IMPORTS_ENV = 'OMNITRAIN_STANDBY_IMPORTS';

// Runs before the worker's own entry point (node --import): imports the heavy modules, then waits
// for one JSON line on stdin (the environment of the attempt it joins) and merges it into process.env.
// End of stdin without a line means "retired": exit 0 at once. A data: URL, so it needs no file on disk.
const STANDBY_SOURCE = `
for (const url of JSON.parse(process.env.${STANDBY_IMPORTS_ENV} ?? '[]')) await import(url);
if (process.env.${WORKER_PHASE_ENV} === '1') process.stderr.write('${WORKER_PHASE_PREFIX}standby ' + (performance.timeOrigin + performance.now()).toFixed(1) + '\\n');
const line = await new Promise((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d) => { text += d; if (text.includes('\\n')) resolve(text.slice(0, text.indexOf('\\n'))); });
  process.stdin.on('end', () => resolve(undefined));
  process.stdin.on('error', () => resolve(undefined));
});
if (line === undefined) process.exit(0);
process.stdin.destroy();
Object.assign(process.env, JSON.parse(line));
delete process.env.${STANDBY_IMPORTS_ENV};
`;

/**
 * The `--import` argument that turns a `node` worker into a warm spare: it starts and imports
 * `OMNITRAIN_STANDBY_IMPORTS` now, and runs its entry point only once {@link activateSpare} hands it
 * an attempt's environment. A restart then skips node's start and the module imports (seconds).
 *
 * @example
 * spawn(process.execPath, [standbyImportArg(), 'main.js', 'train', 'run.yaml'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...env, OMNITRAIN_STANDBY_IMPORTS: JSON.stringify([url]) } });
 */
export function standbyImportArg(): string {
  return `--import=data:text/javascript;base64,${Buffer.from(STANDBY_SOURCE).toString('base64')}`;
}

/** True while `child` has neither exited nor been killed. */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Starts a spare spawned with {@link standbyImportArg}: sends it the environment of the attempt
 * it joins (merged over the one it was spawned with).
 *
 * @returns false when the spare is gone (crashed or killed), so the caller spawns a fresh worker.
 * @example
 * if (!activateSpare(spare, { MASTER_PORT: '41234', OMNITRAIN_RESTART: '1' })) spawnFresh();
 */
export function activateSpare(child: ChildProcess, env: Readonly<Record<string, string>>): boolean {
  if (!isRunning(child) || !child.stdin || child.stdin.destroyed) return false;
  child.stdin.end(`${JSON.stringify(env)}\n`);
  return true;
}

/**
 * Retires spares that will not be used: their stdin is closed (they exit 0 at once), and any still
 * running after `graceMs` (stuck importing) is killed. Resolves once every one has exited.
 *
 * @example
 * await retireSpares(spares, 3000);
 */
export async function retireSpares(spares: readonly ChildProcess[], graceMs: number): Promise<void> {
  await Promise.all(
    spares.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (!isRunning(child)) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.stdin?.end();
          child.kill('SIGCONT'); // a frozen spare could not read its EOF
        }),
    ),
  );
}
