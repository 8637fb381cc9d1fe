// Runs the built `omnitrain` binary (apps/cli/dist/main.js) as a child process, the way users do.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The built binary. */
export const CLI_MAIN = join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js');

/** What a finished child printed and how it exited. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runOmnitrain}. */
export interface RunOmnitrainOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the child (SIGKILL) after this many ms. Default 60000. */
  timeoutMs?: number;
  /** Called with each stderr/stdout chunk and the child, e.g. to kill it at a given moment. */
  onOutput?: (text: string, child: ChildProcess) => void;
}

/**
 * Runs `node apps/cli/dist/main.js ...args` and resolves when it exits. Fails fast with a clear
 * message when the CLI was not built (`npx nx run cli:build`, or `npm test`, builds it and its libs).
 */
export function runOmnitrain(args: readonly string[], options: RunOmnitrainOptions = {}): Promise<CliResult> {
  if (!existsSync(CLI_MAIN)) {
    throw new Error(`runOmnitrain: expected the built CLI at ${CLI_MAIN}; run "npx nx run-many -t build" first`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      stdout += t;
      options.onOutput?.(t, child);
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
      options.onOutput?.(t, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
