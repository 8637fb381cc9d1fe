import type { Pull } from 'zeromq';

/** A message as two frames: the header and the payload. */
export type Frames = [Buffer, Buffer];

/**
 * The receiving end of one rank's ring: a single loop reads the PULL socket (ZeroMQ allows one
 * pending receive per socket) and queues the messages; the ring algorithms take them in order with
 * {@link Inbox.next}. Once failed, every waiting and later `next` rejects with the failure.
 */
export class Inbox {
  readonly #queue: Frames[] = [];
  /** Callers of {@link Inbox.next} waiting for a message, in call order (a ring call may post all its receives at once). */
  readonly #waiters: Array<{ resolve: (f: Frames) => void; reject: (e: Error) => void }> = [];
  #failure: Error | undefined;

  constructor(private readonly socket: Pull) {}

  /** Starts the receive loop; it ends when the socket closes. */
  start(): void {
    void (async () => {
      try {
        for await (const frames of this.socket) {
          const msg: Frames = [frames[0] ?? Buffer.alloc(0), frames[1] ?? Buffer.alloc(0)];
          const w = this.#waiters.shift();
          if (w) w.resolve(msg);
          else this.#queue.push(msg);
        }
      } catch {
        // The socket closed under the loop: the collective is closing.
      }
    })();
  }

  /** The next message from the left neighbour; calls made before messages arrive get them in call order. */
  next(): Promise<Frames> {
    if (this.#failure) return Promise.reject(this.#failure);
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Rejects the waiting and every later {@link Inbox.next} with `error` (the first failure wins). */
  fail(error: Error): void {
    this.#failure ??= error;
    for (const w of this.#waiters.splice(0)) w.reject(this.#failure);
  }
}
