import type { StoredItem } from './dashboard-store.js';

/** What the live feed carries: stored events, and notices that the run list changed. */
export type HubMessage = { type: 'events'; items: StoredItem[] } | { type: 'runs-changed'; runIds: string[] };

/**
 * In-process publish/subscribe between the ingest paths (log tailer, POST /api/ingest) and the
 * SSE streams. Listeners run synchronously; one that throws is removed, never the publisher.
 *
 * @example
 * const off = hub.subscribe((m) => console.log(m.type));
 * hub.publish({ type: 'runs-changed', runIds: ['a'] });
 * off();
 */
export class EventHub {
  readonly #listeners = new Set<(message: HubMessage) => void>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (message: HubMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends `message` to every listener. */
  publish(message: HubMessage): void {
    if (message.type === 'events' && message.items.length === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(message);
      } catch {
        this.#listeners.delete(listener);
      }
    }
  }

  /** Number of listeners (open streams). */
  get size(): number {
    return this.#listeners.size;
  }
}
