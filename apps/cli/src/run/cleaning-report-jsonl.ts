import type { CleaningReport } from '@omnitrain/data';

/**
 * A cleaning report as JSONL: `{"type":"summary",...}` then one `{"type":"dropped",...}` per
 * dropped row (id, manifest file and line, labels, every problem), for `data clean --report` and
 * the run folder's `cleaning-report.jsonl`.
 *
 * @param report What data's cleanSamples (or loadDataset) returned.
 * @returns The JSONL text, one line per record, newline-terminated.
 *
 * @example
 * await writeFile('report.jsonl', cleaningReportJsonl(await cleanSamples(samples)));
 */
export function cleaningReportJsonl(report: CleaningReport): string {
  const lines = [
    { type: 'summary', ...report.summary },
    ...report.dropped.map((row) => ({
      type: 'dropped',
      id: row.id,
      file: row.source.file,
      line: row.source.line,
      labels: row.labels,
      problems: row.problems,
    })),
  ];
  return lines.map((l) => `${JSON.stringify(l)}\n`).join('');
}
