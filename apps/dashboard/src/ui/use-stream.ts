import { useEffect } from 'preact/hooks';
import { withToken } from './api-client.js';

const KINDS = ['metric', 'learning-rate', 'step-time', 'system', 'worker-status', 'confusion-matrix', 'samples', 'trial', 'run-end', 'run-start'];

/**
 * Calls `onEvent` (at most every 250 ms) while SSE events of the given runs arrive; every run when
 * `runIds` is undefined. The browser's EventSource reconnects with Last-Event-ID by itself.
 * @example useStream(['run-a'], () => setTick((t) => t + 1));
 */
export function useStream(runIds: string[] | undefined, onEvent: () => void): void {
  const key = runIds?.join(',');
  useEffect(() => {
    if (runIds !== undefined && runIds.length === 0) return;
    const source = new EventSource(withToken(runIds === undefined ? '/api/stream' : `/api/stream?runs=${runIds.map(encodeURIComponent).join(',')}`));
    let pending: ReturnType<typeof setTimeout> | undefined;
    const fire = (): void => {
      if (pending === undefined) pending = setTimeout(() => { pending = undefined; onEvent(); }, 250);
    };
    for (const kind of KINDS) source.addEventListener(kind, fire);
    source.onmessage = fire;
    return () => { source.close(); clearTimeout(pending); };
  }, [key]);
}
