import { open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TelemetryEvent } from '../events/event-schema.js';
import type { EventLogProblem } from './parse-event-line.js';
import { parseEventLine } from './parse-event-line.js';
import type { LineCursor } from './scan-lines.js';
import { scanLines } from './scan-lines.js';

/** Options of {@link followEvents}. */
export interface FollowEventsOptions {
  /** How often to look for new lines, in ms. Default 250. */
  pollIntervalMs?: number;
  /** Ends the iteration (quietly) when aborted. Default: none. */
  signal?: AbortSignal;
  /** End after yielding the run's `run-end` event. Default true. */
  untilRunEnd?: boolean;
  /** Called for each skipped line (with `file:line`). Default: `process.emitWarning`. */
  onProblem?: (problem: EventLogProblem) => void;
}

/**
 * Follows a JSONL event log as it grows, like `tail -f`: yields the events with `seq >= fromSeq`
 * already in the file, then each complete line appended after, in order, until the run's
 * `run-end` event (or `signal`). Waits for a file that does not exist yet; a line still being
 * written is read once its newline arrives; a corrupt line is reported and skipped; a file
 * replaced or truncated under it is read again from the start without repeating events.
 *
 * @param path The log, e.g. `runs/a/events.jsonl`.
 * @param fromSeq The first sequence number wanted; an SSE client resuming after Last-Event-ID
 *   `n` asks for `n + 1`. Default 0 (everything).
 * @param options Polling, stopping, problem reporting.
 *
 * @example
 * for await (const event of followEvents('runs/a/events.jsonl', lastEventId + 1, { signal })) send(event);
 */
export async function* followEvents(
  path: string,
  fromSeq = 0,
  options: FollowEventsOptions = {},
): AsyncGenerator<TelemetryEvent, void, undefined> {
  const { pollIntervalMs = 250, signal, untilRunEnd = true } = options;
  const onProblem = options.onProblem ?? ((p: EventLogProblem) => process.emitWarning(p.message, 'TelemetryWarning'));
  let cursor: LineCursor = { offset: 0, line: 1, pending: 0 };
  let inode: number | undefined;
  let lastSeq = fromSeq - 1;
  while (signal?.aborted !== true) {
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined && (info.ino !== inode || info.size < cursor.offset)) {
      if (inode !== undefined) {
        onProblem({ file: path, line: cursor.line, message: `${path}: the log was replaced or truncated; reading it again from the start` });
      }
      inode = info.ino;
      cursor = { offset: 0, line: 1, pending: 0 };
    }
    if (info !== undefined && info.size > cursor.offset + cursor.pending) {
      const handle = await open(path, 'r').catch(() => undefined);
      try {
        for await (const { text, line } of handle === undefined ? [] : scanLines(handle, cursor)) {
          if (text.trim() === '') continue;
          const parsed = parseEventLine(text, path, line);
          if ('problem' in parsed) {
            onProblem(parsed.problem);
          } else if (parsed.event.seq > lastSeq) {
            lastSeq = parsed.event.seq;
            yield parsed.event;
            if (untilRunEnd && parsed.event.kind === 'run-end') return;
          }
        }
      } finally {
        await handle?.close();
      }
    }
    const slept = await sleep(pollIntervalMs, true, { signal }).catch(() => false);
    if (!slept) return;
  }
}
