/**
 * Typed errors whose messages say which operation failed, what it expected, what it received,
 * where (file, field, rank) and what to do about it:
 * `audio.loadWav: expected 16-bit PCM or 32-bit float, got 24-bit (file clips/0042.wav). Hint: ...`
 */

/** What an error is made of; every field ends up in the message. */
export interface ErrorDetails {
  /** The operation that failed, as `lib.function` (`checkpoint.read`, `initBackend`). */
  op: string;
  /** What the operation expected. */
  expected: string;
  /** What it got instead (a value, a size, a name). */
  received: string;
  /** Where: a file, a field path, a rank (`file run.yaml`, `rank 3`). */
  where?: string;
  /** What the user can do about it. */
  hint?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/** Formats details as `op: expected X, got Y (where). Hint: Z`. */
export function formatError(d: ErrorDetails): string {
  const where = d.where ? ` (${d.where})` : '';
  const hint = d.hint ? `. Hint: ${d.hint}` : '';
  return `${d.op}: expected ${d.expected}, got ${d.received}${where}${hint}`;
}

/** Base class of every error Omnitrain throws on purpose. */
export class OmnitrainError extends Error {
  readonly op: string;
  readonly expected: string;
  readonly received: string;
  readonly where: string | undefined;
  readonly hint: string | undefined;

  constructor(details: ErrorDetails, message: string = formatError(details)) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.op = details.op;
    this.expected = details.expected;
    this.received = details.received;
    this.where = details.where;
    this.hint = details.hint;
  }
}

/** One problem found in a configuration, with its place in the source file when known. */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. `optim.lr` (empty for the root). */
  path: string;
  /** What is wrong, e.g. `expected number > 0, got "fast"`. */
  message: string;
  /** Source file name, when the config came from a file. */
  file?: string;
  /** 1-based line and column of the offending value in `file`. */
  line?: number;
  column?: number;
}

/** Formats one config issue as `run.yaml:12:5 optim.lr: expected number > 0, got "fast"`. */
export function formatConfigIssue(issue: ConfigIssue): string {
  const place =
    issue.file === undefined
      ? ''
      : issue.line === undefined
        ? `${issue.file} `
        : `${issue.file}:${issue.line}:${issue.column ?? 1} `;
  const path = issue.path === '' ? '(root)' : issue.path;
  return `${place}${path}: ${issue.message}`;
}

/** A configuration (YAML file, overrides, options object) is invalid; lists every issue found. */
export class ConfigError extends OmnitrainError {
  readonly issues: readonly ConfigIssue[];

  constructor(details: ErrorDetails, issues: readonly ConfigIssue[] = [], message?: string) {
    const lines = issues.map((i) => `  ${formatConfigIssue(i)}`);
    const head = message ?? formatError(details);
    super(details, lines.length ? `${head}\n${lines.join('\n')}` : head);
    this.issues = issues;
  }
}

/** Input data (a file, a manifest row, a tensor) is unreadable or malformed. */
export class DataError extends OmnitrainError {}

/** A compute backend is missing, failed to load, or lacks a kernel. */
export class BackendError extends OmnitrainError {}

/** A collective, rendezvous or worker failed; `where` names the rank and host. */
export class DistributedError extends OmnitrainError {}

/** A checkpoint is truncated, corrupt, or could not be written. */
export class CheckpointError extends OmnitrainError {}
