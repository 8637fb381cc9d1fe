import type { Sample, SampleSource } from '../manifest/sample.js';
import { sortClassNames } from '../manifest/sort-class-names.js';
import { mapAhead } from '../pipeline/map-ahead.js';
import { hashFile, sampleContentKey } from './content-key.js';
import { sampleValidators } from './sample-validator.js';
import type { SampleProblem, ValidationContext } from './sample-validator.js';

/** Options of {@link cleanSamples}. */
export interface CleaningOptions {
  /** The allowed classes; labels outside them are dropped as `unknown-label`. Default: not checked. */
  classes?: readonly string[];
  /** Accepted audio durations in seconds, handed to validators (see ValidationContext). Default: any non-empty clip. */
  audioSeconds?: { min?: number; max?: number };
  /** Names of the registered validators to run. Default: every registered one (`sampleValidators.list()`). */
  validators?: readonly string[];
  /** Drop rows whose content repeats an earlier row's (see sampleContentKey). Default true. */
  duplicates?: boolean;
  /** Samples checked or hashed at once. Default 16. */
  concurrency?: number;
  /**
   * Called as rows are done: `check` (validators) over every row, then `hash` (content keys for
   * duplicates) over the rows that passed. Default: none.
   */
  onProgress?: (phase: 'check' | 'hash', done: number, total: number) => void;
}

/** A row cleaning dropped, and every reason why. */
export interface DroppedRow {
  id: string;
  source: SampleSource;
  labels: string[];
  problems: SampleProblem[];
}

/** Counts of a cleaning run. */
export interface CleaningSummary {
  total: number;
  kept: number;
  dropped: number;
  /** Dropped rows per reason (a row with several reasons counts under each). */
  byReason: Record<string, number>;
  /** Samples per label before and after (`(unlabeled)` for rows without one). */
  classBalanceBefore: Record<string, number>;
  classBalanceAfter: Record<string, number>;
}

/** What {@link cleanSamples} kept, what it dropped and why, and the counts. */
export interface CleaningReport {
  kept: Sample[];
  dropped: DroppedRow[];
  summary: CleaningSummary;
}

/**
 * Checks every sample with the registered validators (missing files, missing or unknown labels,
 * empty rows, plus whatever modality libs register), then drops repeated content: among rows with
 * the same content key the first is kept and the rest are `duplicate`s, unless their labels
 * disagree, in which case all of them are dropped as `conflicting-duplicate`. Files that cannot be
 * read for hashing are `unreadable-file`. Nothing is dropped without a row in `dropped`.
 *
 * @param samples The samples, in manifest order (the first of duplicates is kept).
 * @param options Classes, validators, duplicate detection, concurrency (see {@link CleaningOptions}).
 * @example
 * const report = await cleanSamples(ds.samples, { classes: ds.classes });
 * console.log(formatCleaningReport(report));
 * const { train, val } = splitSamples(report.kept, { seed });
 */
export async function cleanSamples(samples: readonly Sample[], options: CleaningOptions = {}): Promise<CleaningReport> {
  const validators = (options.validators ?? sampleValidators.list()).map((name) => sampleValidators.get(name));
  const context: ValidationContext = {
    ...(options.classes ? { classes: options.classes } : {}),
    ...(options.audioSeconds ? { audioSeconds: options.audioSeconds } : {}),
  };
  const concurrency = options.concurrency ?? 16;
  const problems = new Map<Sample, SampleProblem[]>();
  const check = async (s: Sample): Promise<SampleProblem[]> => {
    const found = await Promise.all(validators.map((v) => v(s, context)));
    return found.filter((p): p is SampleProblem => p !== undefined);
  };
  let i = 0;
  for await (const found of mapAhead(samples, check, { concurrency, op: 'data.cleanSamples' })) {
    if (found.length) problems.set(samples[i]!, found);
    i++;
    options.onProgress?.('check', i, samples.length);
  }
  if (options.duplicates ?? true) {
    await findDuplicates(samples.filter((s) => !problems.has(s)), problems, concurrency, options.onProgress);
  }
  const kept = samples.filter((s) => !problems.has(s));
  const dropped = samples.flatMap((s) => {
    const p = problems.get(s);
    return p ? [{ id: s.id, source: s.source, labels: s.labels, problems: p }] : [];
  });
  return { kept, dropped, summary: summarize(samples, kept, dropped) };
}

async function findDuplicates(
  samples: Sample[],
  problems: Map<Sample, SampleProblem[]>,
  concurrency: number,
  onProgress: CleaningOptions['onProgress'],
): Promise<void> {
  const hashes = new Map<string, Promise<string>>();
  const cachedHash = (path: string): Promise<string> => {
    if (!hashes.has(path)) hashes.set(path, hashFile(path));
    return hashes.get(path)!;
  };
  const keyOf = (s: Sample): Promise<string | SampleProblem> =>
    sampleContentKey(s, cachedHash).catch((e: unknown) => ({
      reason: 'unreadable-file',
      detail: `could not read for hashing: ${e instanceof Error ? e.message : String(e)}`,
    }));
  const groups = new Map<string, Sample[]>();
  let i = 0;
  for await (const key of mapAhead(samples, keyOf, { concurrency, op: 'data.cleanSamples' })) {
    const s = samples[i++]!;
    onProgress?.('hash', i, samples.length);
    if (typeof key !== 'string') problems.set(s, [key]);
    else if (groups.has(key)) groups.get(key)!.push(s);
    else groups.set(key, [s]);
  }
  for (const group of groups.values()) {
    if (group.length > 1) markDuplicates(group, problems);
  }
}

function markDuplicates(group: Sample[], problems: Map<Sample, SampleProblem[]>): void {
  const labelKey = (s: Sample): string => [...s.labels].sort().join(', ');
  const [first, ...rest] = group as [Sample, ...Sample[]];
  const where = (s: Sample): string => `${s.id} (${s.source.file}${s.source.line ? `:${s.source.line}` : ''})`;
  if (group.every((s) => labelKey(s) === labelKey(first))) {
    for (const s of rest) problems.set(s, [{ reason: 'duplicate', detail: `same content as ${where(first)}` }]);
    return;
  }
  const labels = [...new Set(group.map(labelKey))].map((l) => `[${l}]`).join(' vs ');
  for (const s of group) {
    const others = group.filter((o) => o !== s).map(where).join(', ');
    problems.set(s, [{ reason: 'conflicting-duplicate', detail: `same content as ${others} with labels ${labels}` }]);
  }
}

function classBalance(samples: readonly Sample[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const s of samples) {
    for (const label of s.labels.length ? s.labels : ['(unlabeled)']) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return Object.fromEntries(sortClassNames(counts.keys()).map((k) => [k, counts.get(k)!]));
}

function summarize(all: readonly Sample[], kept: readonly Sample[], dropped: readonly DroppedRow[]): CleaningSummary {
  const byReason: Record<string, number> = {};
  for (const row of dropped) {
    for (const reason of new Set(row.problems.map((p) => p.reason))) byReason[reason] = (byReason[reason] ?? 0) + 1;
  }
  const before = classBalance(all);
  const after = classBalance(kept);
  return {
    total: all.length,
    kept: kept.length,
    dropped: dropped.length,
    byReason,
    classBalanceBefore: before,
    classBalanceAfter: Object.fromEntries(Object.keys(before).map((k) => [k, after[k] ?? 0])),
  };
}
