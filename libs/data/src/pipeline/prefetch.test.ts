import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import { mapAhead, prefetch } from '@omnitrain/data';

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/** An async source that records how far it was read and whether it was closed. */
function tracked(n: number, failAt = -1) {
  const log = { produced: 0, closed: false };
  async function* gen() {
    try {
      for (let i = 0; i < n; i++) {
        await tick();
        if (i === failAt) throw new Error(`boom at ${i}`);
        log.produced++;
        yield i;
      }
    } finally {
      log.closed = true;
    }
  }
  return { log, source: gen() };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('prefetch', () => {
  it('yields the source in order and reads exactly depth items ahead', async () => {
    for (const depth of [0, 1, 3, 8]) {
      const { log, source } = tracked(20);
      const it = prefetch(source, depth);
      expect(await it.next()).toEqual({ done: false, value: 0 });
      for (let i = 0; i < 30; i++) await tick();
      expect(log.produced).toBe(Math.min(20, 1 + depth));
      expect(await collect(it)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    }
    expect(await collect(prefetch([1, 2, 3], 2))).toEqual([1, 2, 3]);
  });

  it('passes an error through after the items before it', async () => {
    const { source } = tracked(10, 4);
    const got: number[] = [];
    await expect(async () => {
      for await (const x of prefetch(source, 3)) got.push(x);
    }).rejects.toThrow('boom at 4');
    expect(got).toEqual([0, 1, 2, 3]);
  });

  it('stops reading and closes the source on an early break', async () => {
    const { log, source } = tracked(100);
    for await (const x of prefetch(source, 5)) if (x === 2) break;
    expect(log.closed).toBe(true);
    const produced = log.produced;
    for (let i = 0; i < 20; i++) await tick();
    expect(log.produced).toBe(produced);
    expect(produced).toBeLessThanOrEqual(3 + 5);
    expect(() => prefetch([], -1)).toThrow(ConfigError);
  });
});

describe('mapAhead', () => {
  it('keeps order while running up to concurrency calls at once', async () => {
    let running = 0;
    let peak = 0;
    const fn = async (x: number) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      running--;
      return x * 10;
    };
    const input = Array.from({ length: 40 }, (_, i) => i);
    expect(await collect(mapAhead(input, fn, { concurrency: 4 }))).toEqual(input.map((x) => x * 10));
    expect(peak).toBe(4);
  });

  it('names the failing sample and keeps the cause', async () => {
    const samples = [0, 1, 2, 3].map((i) => ({ id: `clip-${i}`, source: { file: 'm.csv', line: i + 2 } }));
    const got: string[] = [];
    let error: unknown;
    try {
      for await (const s of mapAhead(samples, async (s) => {
        if (s.id === 'clip-2') throw new Error('truncated WAV');
        return s.id;
      })) got.push(s);
    } catch (e) {
      error = e;
    }
    expect(got).toEqual(['clip-0', 'clip-1']);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toBe(
      'data.mapAhead: expected the item to be processed, got an error: truncated WAV (sample clip-2 (file m.csv line 4))',
    );
    expect(((error as Error).cause as Error).message).toBe('truncated WAV');
    const { log, source } = tracked(50);
    const failing = mapAhead(source, (v) => {
      if (v === 3) throw new Error('bad');
      return v;
    });
    await expect(collect(failing)).rejects.toThrow(/got an error: bad \(sample #3\)/);
    expect(log.closed).toBe(true);
  });

  it('stops starting calls and closes the source on an early break', async () => {
    const { log, source } = tracked(100);
    let calls = 0;
    for await (const x of mapAhead(source, (v) => (calls++, v), { concurrency: 3 })) if (x === 5) break;
    expect(log.closed).toBe(true);
    const seen = calls;
    for (let i = 0; i < 20; i++) await tick();
    expect(calls).toBe(seen);
    expect(calls).toBeLessThanOrEqual(6 + 3);
  });
});
