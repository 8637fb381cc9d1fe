import { parseEventLine } from '@omnitrain/telemetry';
import type { EventLogProblem, TelemetryEvent } from '@omnitrain/telemetry';

/** What a POSTed batch held: its valid events grouped by run (in order), and its bad lines. */
export interface IngestBatch {
  byRun: Map<string, TelemetryEvent[]>;
  problems: EventLogProblem[];
  count: number;
}

/**
 * Parses the body the telemetry `http` sink POSTs: events as JSON lines (`application/x-ndjson`),
 * exactly as in `events.jsonl`. Each line is checked against the event contract; bad lines are
 * returned as problems placed at `<source>:<line>`.
 *
 * @example
 * const { byRun, problems } = parseIngestBody(await c.req.text(), 'POST /api/ingest');
 */
export function parseIngestBody(body: string, source: string): IngestBatch {
  const batch: IngestBatch = { byRun: new Map(), problems: [], count: 0 };
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    const parsed = parseEventLine(text, source, i + 1);
    if ('problem' in parsed) {
      batch.problems.push(parsed.problem);
      continue;
    }
    const list = batch.byRun.get(parsed.event.runId) ?? [];
    list.push(parsed.event);
    batch.byRun.set(parsed.event.runId, list);
    batch.count += 1;
  }
  return batch;
}
