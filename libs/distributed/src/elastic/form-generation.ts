import type { MemberAssignment, MemberHello } from '../protocol/protocol.js';

/** A worker that asked for a place, as the membership service knows it. */
export interface Candidate extends MemberHello {
  /** Its rank in the generation it leaves (undefined for a worker joining). */
  readonly oldRank?: number | undefined;
  /** Order of arrival (joiners are ranked by it). */
  readonly arrival: number;
}

/** What {@link formGeneration} decides. */
export type Formation =
  | { readonly ok: true; readonly members: readonly Candidate[]; readonly assignments: readonly MemberAssignment[]; readonly waiting: readonly Candidate[] }
  | { readonly ok: false; readonly alive: number };

/**
 * The elastic group's forming rule, without sockets: survivors keep their order (by old rank),
 * joiners follow in order of arrival, at most `max` members (later joiners wait for the next
 * regroup); fewer than `min` forms nothing. Rank 0 hosts the rendezvous (its host and port); the
 * source of the state is the member with the most applied steps, the lowest rank among equals.
 *
 * @example
 * formGeneration(candidates, { generation: 2, min: 2, max: 3, jobId: 'job' }); // { ok: true, members, assignments, waiting }
 */
export function formGeneration(candidates: readonly Candidate[], o: { generation: number; min: number; max: number; jobId: string }): Formation {
  const survivors = candidates.filter((c) => c.oldRank !== undefined).sort((a, b) => a.oldRank! - b.oldRank!);
  const joiners = candidates.filter((c) => c.oldRank === undefined).sort((a, b) => a.arrival - b.arrival);
  const ordered = [...survivors, ...joiners];
  const members = ordered.slice(0, o.max);
  if (members.length < o.min) return { ok: false, alive: ordered.length };
  let source = 0;
  members.forEach((m, rank) => {
    if (m.appliedSteps > members[source]!.appliedSteps) source = rank;
  });
  const root = members[0]!;
  const assignments = members.map((_, rank) => ({
    generation: o.generation,
    rank,
    worldSize: members.length,
    masterAddr: root.host,
    masterPort: root.port,
    jobId: `${o.jobId}/g${o.generation}`,
    source,
    sourceSteps: members[source]!.appliedSteps,
  }));
  return { ok: true, members, assignments, waiting: ordered.slice(o.max) };
}
