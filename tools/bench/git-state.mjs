// The repository state a benchmark result was measured at (written into every results JSON).
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Runs `git <args>` in the repository root and returns its trimmed output, or 'unknown' when git
 * is missing or fails (a benchmark never stops for it).
 * @param {string[]} args
 * @returns {string}
 */
export function git(args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
