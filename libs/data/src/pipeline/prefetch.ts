import { ConfigError } from '@omnitrain/core';

/**
 * Reads up to `depth` items of `source` ahead of its consumer, so producing the next items (reading,
 * decoding, collating) overlaps with using the current one. Items come out in source order; an
 * error of the source comes out at its place, after the items before it, and ends the iteration.
 * Breaking out of a `for await` (or calling `return()`) stops reading ahead, waits for the read in
 * flight and closes the source. The source is read one item at a time; for parallel work, feed a
 * {@link mapAhead} into it.
 *
 * @param source Any async or sync iterable; reading starts at the first `next()`.
 * @param depth How many items to hold ready beyond the one being consumed (0 reads on demand).
 * @throws ConfigError when `depth` is not an integer >= 0.
 * @example
 * for await (const batch of prefetch(loadBatches(sampler), 4)) await trainStep(batch);
 */
export function prefetch<T>(source: AsyncIterable<T> | Iterable<T>, depth: number): AsyncIterableIterator<T> {
  if (!Number.isInteger(depth) || depth < 0) {
    throw new ConfigError({ op: 'data.prefetch', expected: 'an integer depth >= 0', received: String(depth) });
  }
  return new Prefetcher(source, depth);
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

class Prefetcher<T> implements AsyncIterableIterator<T> {
  readonly #source: AsyncIterable<T> | Iterable<T>;
  readonly #depth: number;
  #iterator: AsyncIterator<T> | Iterator<T> | undefined;
  #queue: Array<Promise<IteratorResult<T>>> = [];
  /** Settles when the last requested read has; reads are chained so the source sees one at a time. */
  #tail: Promise<unknown> = Promise.resolve();
  /** No more reads: the source ended or threw, or the consumer closed us. */
  #stopped = false;
  #sourceEnded = false;

  constructor(source: AsyncIterable<T> | Iterable<T>, depth: number) {
    this.#source = source;
    this.#depth = depth;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    const head = this.#queue.shift() ?? this.#read();
    while (this.#queue.length < this.#depth && !this.#stopped) this.#queue.push(this.#read());
    return head;
  }

  async return(): Promise<IteratorResult<T>> {
    this.#stopped = true;
    this.#queue = [];
    await this.#tail;
    if (this.#iterator && !this.#sourceEnded) {
      this.#sourceEnded = true;
      await this.#iterator.return?.();
    }
    return DONE;
  }

  #read(): Promise<IteratorResult<T>> {
    const result = this.#tail.then(() => (this.#stopped ? DONE : this.#readSource()));
    this.#tail = result.catch(() => undefined);
    return result;
  }

  async #readSource(): Promise<IteratorResult<T>> {
    try {
      const r = await this.#open().next();
      if (r.done) this.#stopped = this.#sourceEnded = true;
      return r;
    } catch (error) {
      this.#stopped = this.#sourceEnded = true;
      throw error;
    }
  }

  #open(): AsyncIterator<T> | Iterator<T> {
    this.#iterator ??=
      Symbol.asyncIterator in this.#source
        ? this.#source[Symbol.asyncIterator]()
        : (this.#source as Iterable<T>)[Symbol.iterator]();
    return this.#iterator;
  }
}
