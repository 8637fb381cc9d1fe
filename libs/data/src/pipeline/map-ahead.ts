import { ConfigError, DataError } from '@omnitrain/core';
import { prefetch } from './prefetch.js';

/** Options of {@link mapAhead}. */
export interface MapAheadOptions<S> {
  /** How many calls of `fn` may run at once. Default 4. */
  concurrency?: number;
  /** How an item is named in errors. Default: its `id` (and `source` file and line) if it has one, else `#<index>`. */
  describe?: (item: S, index: number) => string;
  /** The operation named in errors. Default `'data.mapAhead'`. */
  op?: string;
}

/**
 * Maps `fn` (typically a decoder) over `source` with up to `concurrency` calls in flight, yielding
 * results in source order. When `fn` fails, iteration ends with a DataError that names the item
 * (`sample cats/001.png (file train.csv line 12)`) and keeps the original error as `cause`.
 * Breaking out stops starting new calls and closes the source (calls in flight finish unobserved).
 *
 * @param source The items, e.g. samples of a batch.
 * @param fn The work per item, sync or async.
 * @param options Concurrency, naming, operation (see {@link MapAheadOptions}).
 * @example
 * const decoded = mapAhead(samples, (s) => loadImage(s.image!), { concurrency: 8 });
 * for await (const image of prefetch(decoded, 16)) use(image);
 */
export async function* mapAhead<S, T>(
  source: AsyncIterable<S> | Iterable<S>,
  fn: (item: S) => T | Promise<T>,
  options: MapAheadOptions<S> = {},
): AsyncGenerator<T, void, undefined> {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ConfigError({ op: 'data.mapAhead', expected: 'an integer concurrency >= 1', received: String(concurrency) });
  }
  const describe = options.describe ?? describeItem;
  async function* started(): AsyncGenerator<{ task: Promise<T> }> {
    let index = 0;
    for await (const item of source) {
      const i = index++;
      const task = Promise.resolve()
        .then(() => fn(item))
        .catch((error: unknown) => {
          throw wrap(error, options.op ?? 'data.mapAhead', describe(item, i));
        });
      task.catch(() => undefined); // observed below, in order; this keeps it from counting as unhandled
      yield { task };
    }
  }
  for await (const { task } of prefetch(started(), concurrency - 1)) yield await task;
}

function describeItem(item: unknown, index: number): string {
  if (typeof item !== 'object' || item === null || !('id' in item)) return `#${index}`;
  const { id, source } = item as { id: unknown; source?: { file?: string; line?: number } };
  const where = source?.file ? ` (file ${source.file}${source.line === undefined ? '' : ` line ${source.line}`})` : '';
  return `${String(id)}${where}`;
}

function wrap(error: unknown, op: string, item: string): DataError {
  const message = error instanceof Error ? error.message : String(error);
  return new DataError({
    op,
    expected: 'the item to be processed',
    received: `an error: ${message}`,
    where: `sample ${item}`,
    cause: error,
  });
}
