import { arch, cpus, hostname, platform, totalmem } from 'node:os';
import type { RunStartEvent } from './event-schema.js';

/**
 * This process's host, as the run-start event records it.
 *
 * @example recorder.emit({ kind: 'run-start', host: hostInfo(), ... });
 */
export function hostInfo(): RunStartEvent['host'] {
  return {
    hostname: hostname(),
    pid: process.pid,
    platform: platform(),
    arch: arch(),
    nodeVersion: process.version,
    cpus: cpus().length,
    memoryBytes: totalmem(),
  };
}
