import { open } from 'node:fs/promises';
import { DataError } from '@omnitrain/core';
import type { TelemetryEvent } from '../events/event-schema.js';
import type { EventLogProblem } from './parse-event-line.js';
import { parseEventLine } from './parse-event-line.js';
import { scanLines } from './scan-lines.js';

/** What {@link readEvents} found in a log. */
export interface ReadEventsResult {
  /** The valid events, in file order. */
  events: TelemetryEvent[];
  /** Complete lines that were skipped (not JSON, not a valid event), each with `file:line`. */
  problems: EventLogProblem[];
  /**
   * A last line without its newline, which a writer that crashed (or is still writing) left:
   * its line number and size. It is not an event yet and is not counted as a problem.
   */
  torn?: { line: number; bytes: number };
}

/**
 * Reads every event of a JSONL event log. Corrupt lines are skipped and reported with `file:line`;
 * a half-written last line is skipped and reported as `torn`. Nothing in the file makes it throw.
 *
 * @param path The log, e.g. `runs/a/events.jsonl`.
 * @throws DataError when the file cannot be opened (missing, unreadable).
 *
 * @example
 * const { events, problems } = await readEvents('runs/a/events.jsonl');
 * for (const p of problems) console.warn(p.message); // runs/a/events.jsonl:7: not valid JSON (...)
 */
export async function readEvents(path: string): Promise<ReadEventsResult> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new DataError({
      op: 'telemetry.readEvents',
      expected: 'a readable event log',
      received: `${error.code ?? 'error'} (${error.message})`,
      where: `file ${path}`,
      hint: error.code === 'ENOENT' ? 'has the run started? its log is <runDir>/events.jsonl' : undefined,
      cause: error,
    });
  });
  try {
    const result: ReadEventsResult = { events: [], problems: [] };
    const cursor = { offset: 0, line: 1, pending: 0 };
    for await (const { text, line } of scanLines(handle, cursor)) {
      if (text.trim() === '') continue;
      const parsed = parseEventLine(text, path, line);
      if ('event' in parsed) result.events.push(parsed.event);
      else result.problems.push(parsed.problem);
    }
    if (cursor.pending > 0) result.torn = { line: cursor.line, bytes: cursor.pending };
    return result;
  } finally {
    await handle.close();
  }
}
