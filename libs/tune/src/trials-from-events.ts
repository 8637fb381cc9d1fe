import type { TrialRecord } from './trial-record.js';
import type { TrialEventDraft } from './study.js';

/**
 * Rebuilds trial records from a search's `trial` events (e.g. read back from its events.jsonl)
 * so an interrupted study can resume: the last event of each trial wins; trials that never
 * finished (last state started or running) are dropped, to be run again.
 *
 * @param events Events of any kind; only `trial` events of `searchId` (when given) are used.
 *
 * @example
 * const previous = trialsFromEvents((await readEvents('runs/s1/events.jsonl')).events, 's1');
 */
export function trialsFromEvents(events: readonly { kind: string }[], searchId?: string): TrialRecord[] {
  const byId = new Map<string, TrialRecord>();
  for (const e of events) {
    if (e.kind !== 'trial') continue;
    const t = e as TrialEventDraft;
    if (searchId !== undefined && t.searchId !== searchId) continue;
    const number = Number(/(\d+)$/.exec(t.trialId)?.[1] ?? byId.size);
    const record = byId.get(t.trialId) ?? { id: t.trialId, number, params: t.params, state: t.state, intermediate: new Map<number, number>() };
    record.state = t.state;
    if (t.trialRunId) record.runId = t.trialRunId;
    if (t.error) record.error = t.error;
    if (t.objective) {
      if (t.state === 'running' && t.step !== undefined) record.intermediate.set(t.step, t.objective.value);
      else record.value = t.objective.value;
    }
    byId.set(t.trialId, record);
  }
  return [...byId.values()].filter((t) => t.state === 'completed' || t.state === 'pruned' || t.state === 'failed').sort((a, b) => a.number - b.number);
}
