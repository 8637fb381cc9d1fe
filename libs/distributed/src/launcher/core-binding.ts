import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { ConfigError } from '@omnitrain/core';

/**
 * Which cores each of `nproc` local workers is bound to: the cores this process may run on, cut into
 * `nproc` contiguous blocks of equal size (the remainder stays unbound), so a wasm or single-threaded
 * worker keeps its core and its caches, and a multi-threaded one (tfjs-node) its own block. Undefined
 * when there are fewer cores than workers (binding would stack workers on one core; the scheduler does
 * better) or when `taskset` is missing.
 *
 * @param nproc workers on this host.
 * @param allowed the cores to share out; default {@link allowedCores}.
 * @example
 * coreBinding(2, [0, 1, 2, 3]); // [[0, 1], [2, 3]]
 * coreBinding(3, [0, 1]); // undefined: more workers than cores
 */
export function coreBinding(nproc: number, allowed: readonly number[] = allowedCores()): number[][] | undefined {
  if (!Number.isInteger(nproc) || nproc < 1) {
    throw new ConfigError({ op: 'coreBinding', expected: 'nproc: an integer >= 1', received: String(nproc), where: 'nproc' });
  }
  if (allowed.length < nproc || !hasTaskset()) return undefined;
  const per = Math.floor(allowed.length / nproc);
  return Array.from({ length: nproc }, (_, rank) => allowed.slice(rank * per, (rank + 1) * per));
}

/**
 * The cores this process may run on (Linux: `Cpus_allowed_list` of /proc/self/status, which honours
 * taskset, cgroups' cpusets and Slurm's binding); elsewhere 0..cpus()-1.
 *
 * @example
 * allowedCores(); // [0, 1] on a 2-core machine
 */
export function allowedCores(): number[] {
  try {
    const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (line) return parseCoreList(line[1]!.trim());
  } catch {
    // not Linux: fall through
  }
  return Array.from({ length: cpus().length }, (_, i) => i);
}

/**
 * Parses a Linux core list (`0-3,8,10-11`) into core numbers, ascending.
 *
 * @throws ConfigError naming the list when a part is not a number or a range.
 * @example
 * parseCoreList('0-2,5'); // [0, 1, 2, 5]
 */
export function parseCoreList(list: string): number[] {
  const cores = new Set<number>();
  for (const part of list.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) {
      throw new ConfigError({ op: 'parseCoreList', expected: 'a core list such as 0-3,8', received: list, where: part });
    }
    for (let c = Number(m[1]); c <= Number(m[2] ?? m[1]); c++) cores.add(c);
  }
  return [...cores].sort((a, b) => a - b);
}

/**
 * `argv` run bound to `cores` from its first instruction on (`taskset -c <cores> argv...`: every
 * thread the process starts inherits the binding). `argv` unchanged when `cores` is empty or undefined.
 *
 * @example
 * boundArgv(['node', 'train.js'], [1]); // ['taskset', '-c', '1', 'node', 'train.js']
 */
export function boundArgv(argv: readonly string[], cores: readonly number[] | undefined): string[] {
  return cores?.length ? ['taskset', '-c', cores.join(','), ...argv] : [...argv];
}

let tasksetFound: boolean | undefined;
function hasTaskset(): boolean {
  if (tasksetFound === undefined) {
    try {
      execFileSync('taskset', ['-V'], { stdio: 'ignore' });
      tasksetFound = true;
    } catch {
      tasksetFound = false;
    }
  }
  return tasksetFound;
}
