/**
 * The exit codes of `omnitrain`, which scripts can rely on:
 * 0 ok, 1 training failed, 2 usage or config error, 3 data error, 4 distributed failure,
 * 130 interrupted (SIGINT / SIGTERM).
 *
 * @example
 * process.exitCode = EXIT_CODES.config; // 2
 */
export const EXIT_CODES = {
  /** Everything went well. */
  ok: 0,
  /** Training (or evaluation) failed: a backend, checkpoint or unexpected error. */
  training: 1,
  /** The command line or the run config is wrong: unknown command/flag, invalid YAML, bad field. */
  config: 2,
  /** Input data is unreadable or malformed: a manifest, a sample file. */
  data: 3,
  /** A worker, the rendezvous or a collective failed, and restarts (if any) ran out. */
  distributed: 4,
  /** Interrupted by SIGINT or SIGTERM. */
  interrupted: 130,
} as const;

/** One of the values of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * The exit code an error maps to: ConfigError 2, DataError 3, DistributedError 4, anything else
 * (CheckpointError, BackendError, a plain Error) 1. Errors are matched by class name, so an error
 * thrown by another copy of @omnitrain/core (a worker's) maps the same way.
 *
 * @param error What a command threw.
 * @returns The process exit code.
 *
 * @example
 * exitCodeFor(new DataError({ op: 'data.readManifest', expected: 'a file', received: 'ENOENT' })); // 3
 */
export function exitCodeFor(error: unknown): ExitCode {
  const name = error instanceof Error ? error.name : '';
  if (name === 'ConfigError') return EXIT_CODES.config;
  if (name === 'DataError') return EXIT_CODES.data;
  if (name === 'DistributedError') return EXIT_CODES.distributed;
  return EXIT_CODES.training;
}
