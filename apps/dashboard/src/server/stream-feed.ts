import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { serializeEvent } from '@omnitrain/telemetry';
import type { DashboardStore, StoredItem } from './dashboard-store.js';
import type { EventHub, HubMessage } from './event-hub.js';

/** Options of {@link streamFeed}. */
export interface StreamFeedOptions {
  store: DashboardStore;
  hub: EventHub;
  /** Only these runs (store keys); default every run. */
  runIds?: ReadonlySet<string>;
  /** Replay stored events with a global id above this first; default none (live events only). */
  afterGid?: number;
  /** The SSE id of an item: its global id, or its `seq` on a one-run stream. */
  idOf: (item: StoredItem) => string;
  /** Ends the stream (server shutdown). */
  signal: AbortSignal;
  /** Comment line sent this often so proxies keep the connection. Default 15000 ms. */
  heartbeatMs?: number;
}

/**
 * A Server-Sent Events response: first `event: hello` (`{ lastGid }`), then (when `afterGid` is
 * given) the stored events after it, then live events as they are ingested, each as
 * `event: <kind>`, `id: <id>`, `data: { runId, gid, event }` (the event as in `events.jsonl`), and
 * `event: runs` (`{ runIds }`) when runs appear or change state. Events published while the
 * replay runs are queued and sent after it, none twice.
 *
 * @example
 * app.get('/api/stream', (c) => streamFeed(c, { store, hub, idOf: (i) => String(i.gid), signal }));
 */
export function streamFeed(c: Context, options: StreamFeedOptions): Response {
  const { store, hub, runIds, signal, heartbeatMs = 15_000 } = options;
  return streamSSE(c, async (stream) => {
    const queue: HubMessage[] = [];
    let wake: (() => void) | undefined;
    let done = signal.aborted;
    const off = hub.subscribe((message) => {
      queue.push(message);
      wake?.();
    });
    const finish = (): void => {
      done = true;
      wake?.();
    };
    stream.onAbort(finish);
    signal.addEventListener('abort', finish);
    const heartbeat = setInterval(() => void stream.write(': ping\n\n').catch(finish), heartbeatMs);
    let lastGid = options.afterGid ?? store.lastGid();
    const send = async (item: StoredItem): Promise<void> => {
      if (item.gid <= lastGid || (runIds !== undefined && !runIds.has(item.runId))) return;
      lastGid = item.gid;
      await stream.writeSSE({
        event: item.event.kind,
        id: options.idOf(item),
        data: `{"runId":${JSON.stringify(item.runId)},"gid":${item.gid},"event":${serializeEvent(item.event)}}`,
      });
    };
    try {
      await stream.writeSSE({ event: 'hello', data: JSON.stringify({ lastGid: store.lastGid() }), retry: 1000 });
      if (options.afterGid !== undefined) {
        for (let items = store.replay(lastGid, 5000, runIds); items.length > 0 && !done; items = store.replay(lastGid, 5000, runIds)) {
          for (const item of items) await send(item);
        }
      }
      while (!done) {
        const message = queue.shift();
        if (message === undefined) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        } else if (message.type === 'runs-changed') {
          const ids = runIds === undefined ? message.runIds : message.runIds.filter((id) => runIds.has(id));
          if (ids.length > 0) await stream.writeSSE({ event: 'runs', data: JSON.stringify({ runIds: ids }) });
        } else {
          for (const item of message.items) await send(item);
        }
      }
    } finally {
      off();
      clearInterval(heartbeat);
      signal.removeEventListener('abort', finish);
      await stream.close().catch(() => undefined);
    }
  });
}
