import { OmnitrainError } from '@omnitrain/core';

/**
 * The error every sink throws for a write after `close()`: events written then would be lost silently.
 *
 * @param op The sink's operation: `telemetry.jsonlSink`.
 * @param where What it writes to: `file runs/a/events.jsonl`.
 *
 * @example if (closed) throw closedSinkError('telemetry.httpSink', url);
 */
export function closedSinkError(op: string, where: string): OmnitrainError {
  return new OmnitrainError({ op: `${op}.write`, expected: 'an open sink', received: 'a closed one', where, hint: 'write every event before close()' });
}
