import type { LaunchEvent } from '@omnitrain/distributed';

/**
 * The launcher's lines for an elastic group: deaths with the survivors' count, generations with
 * their ranks, replacements, exclusions and the fall back to a group restart. Feed it every launch
 * event, in order.
 *
 * @param log Where the lines go (the launcher's stderr).
 * @returns The event handler.
 * @example
 * const describe = elasticLaunchLog(process.stderr);
 * await launchElastic({ ...options, onEvent: describe });
 * // launch: rank 1 (pid 4242) died (SIGKILL); 1 worker(s) continue, regrouping after generation 0
 */
export function elasticLaunchLog(log: { write(line: string): unknown }): (e: LaunchEvent) => void {
  const live = new Set<number>();
  const rankOf = new Map<number, number>(); // pid -> rank in the latest generation
  let generation: number | undefined; // the latest formed in this attempt
  return (e) => {
    if (e.type === 'start') {
      generation = undefined;
      live.clear();
      rankOf.clear();
      e.pids.forEach((pid, slot) => {
        live.add(pid);
        rankOf.set(pid, slot);
      });
    }
    if (e.type === 'joiner') {
      live.add(e.pid);
      log.write(`launch: replacement for slot ${e.slot} started (pid ${e.pid}); it joins the group at the next step\n`);
    }
    if (e.type === 'exit' && e.pid !== undefined) {
      live.delete(e.pid);
      const who = `rank ${rankOf.get(e.pid) ?? e.rank} (pid ${e.pid})`;
      if (e.stoppedBy !== undefined) log.write(`launch: ${who} stopped by the launcher (${e.stoppedBy}), exit ${e.code ?? e.signal}\n`);
      else if (e.code !== 0) {
        const next = generation === undefined ? 'the group forms without it' : `regrouping after generation ${generation}`;
        log.write(`launch: ${who} died (${e.code ?? e.signal}); ${live.size} worker(s) continue, ${next}\n`);
      }
    }
    if (e.type === 'regroup') {
      generation = e.generation;
      rankOf.clear();
      for (const m of e.members) rankOf.set(m.pid, m.rank);
      const ranks = [...e.members].sort((a, b) => a.rank - b.rank).map((m) => `rank ${m.rank}: pid ${m.pid}`);
      const after = e.afterFailureMs === undefined ? '' : `, ${(e.afterFailureMs / 1000).toFixed(2)} s after the failure`;
      log.write(`launch: generation ${e.generation} formed (${e.reason}${after}): ${e.members.length} worker(s) (${ranks.join(', ')})\n`);
    }
    if (e.type === 'replace') log.write(`launch: slot ${e.slot} failed ${e.failures} time(s); a replacement starts in ${e.delayMs} ms\n`);
    if (e.type === 'waiting') log.write(`launch: pid ${e.pids.join(', pid ')} waiting to join; the group takes ${e.pids.length === 1 ? 'it' : 'them'} in at its next step\n`);
    if (e.type === 'excluded') log.write(`launch: pid ${e.pid} excluded from the group (${e.reason}); killing it\n`);
    if (e.type === 'below-min') log.write(`launch: ${e.alive} live worker(s), fewer than the elastic minimum ${e.min}; restarting the group from the last checkpoint\n`);
  };
}
