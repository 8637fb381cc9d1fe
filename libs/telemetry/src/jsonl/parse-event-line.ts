import { ConfigError, formatConfigIssue } from '@omnitrain/core';
import type { TelemetryEvent } from '../events/event-schema.js';
import { parseEvent } from '../events/parse-event.js';

/** A line of an event log that was skipped, and why. */
export interface EventLogProblem {
  /** The log file. */
  file: string;
  /** 1-based line number. */
  line: number;
  /** What is wrong, starting with `file:line`: `runs/a/events.jsonl:7: not valid JSON (...)`. */
  message: string;
}

/**
 * Parses and validates one line of an event log: the event, or the problem that makes the line
 * unusable, placed at `file:line`.
 *
 * @example
 * const parsed = parseEventLine('{"v":1,...}', 'events.jsonl', 12);
 * if ('problem' in parsed) console.warn(parsed.problem.message);
 */
export function parseEventLine(
  text: string,
  file: string,
  line: number,
): { event: TelemetryEvent } | { problem: EventLogProblem } {
  const place = `${file}:${line}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problem: { file, line, message: `${place}: not valid JSON (${(error as Error).message})` } };
  }
  try {
    return { event: parseEvent(json) };
  } catch (error) {
    const why =
      error instanceof ConfigError && error.issues.length > 0
        ? error.issues.map(formatConfigIssue).join('; ')
        : (error as Error).message;
    return { problem: { file, line, message: `${place}: not a valid event: ${why}` } };
  }
}
