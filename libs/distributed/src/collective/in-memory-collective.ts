import { DistributedError } from '@omnitrain/core';
import type { CallOptions, Collective, CollectiveReduceOp } from './collective.js';
import { labelHash, reduceInto } from './collective.js';
import { reduceScatterOffsets } from './reduce-scatter-offsets.js';

type Kind = 'allReduce' | 'reduceScatter' | 'broadcast' | 'allGather' | 'barrier';

interface Contribution {
  readonly kind: Kind;
  readonly data: Float32Array | Uint8Array;
  readonly arg: CollectiveReduceOp | number | string;
  /** reduceScatter: the chunk offsets (N + 1), compared across ranks. */
  readonly offsets?: readonly number[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** The calls of one sequence number, filled by the ranks as they arrive. */
type Slot = Map<number, Contribution>;

class Hub {
  readonly slots = new Map<number, Slot>();
  readonly closed = new Set<number>();
  constructor(readonly worldSize: number) {}

  post(rank: number, seq: number, c: Contribution): void {
    const slot = this.slots.get(seq) ?? new Map<number, Contribution>();
    this.slots.set(seq, slot);
    slot.set(rank, c);
    if (slot.size === this.worldSize) {
      this.slots.delete(seq);
      this.complete(seq, slot);
    }
  }

  late(seq: number): number[] {
    const slot = this.slots.get(seq);
    return Array.from({ length: this.worldSize }, (_, r) => r).filter((r) => !slot?.has(r));
  }

  private complete(seq: number, slot: Slot): void {
    const cs = Array.from({ length: this.worldSize }, (_, r) => slot.get(r)!);
    const first = cs[0]!;
    if (first.kind === 'barrier' && cs.every((c) => c.kind === 'barrier')) {
      for (const [rank, c] of cs.entries()) {
        const other = cs.findIndex((x) => x.arg !== c.arg);
        if (other < 0) c.resolve(undefined);
        else {
          c.reject(
            new DistributedError({
              op: 'InMemoryCollective.barrier',
              expected: 'every rank at the same barrier label',
              received: `rank ${other} at a barrier with another label`,
              where: `rank ${rank}, call ${seq}`,
              hint: 'the ranks took different code paths',
            }),
          );
        }
      }
      return;
    }
    const sameOffsets = (c: Contribution): boolean => String(c.offsets) === String(first.offsets);
    const bad = cs.findIndex((c) => c.kind !== first.kind || (c.kind !== 'allGather' && c.data.length !== first.data.length) || c.arg !== first.arg || !sameOffsets(c));
    if (bad >= 0) {
      const c = cs[bad]!;
      const error = new DistributedError({
        op: `InMemoryCollective.${first.kind}`,
        expected: `rank ${bad} to call ${first.kind}(${first.data.length} elements, ${String(first.arg)}) as rank 0 did at call ${seq}`,
        received: `${c.kind}(${c.data.length} elements, ${String(c.arg)})${sameOffsets(c) ? '' : ` with chunk offsets [${String(c.offsets)}] instead of [${String(first.offsets)}]`}`,
        where: `rank ${bad}`,
        hint: 'every rank must issue the same collective calls in the same order',
      });
      for (const x of cs) x.reject(error);
      return;
    }
    if (first.kind === 'allReduce' || first.kind === 'reduceScatter') {
      const out = Float32Array.from(first.data as Float32Array);
      for (const c of cs.slice(1)) reduceInto(out, 0, c.data as Float32Array, first.arg as CollectiveReduceOp);
      if (first.arg === 'mean') for (let i = 0; i < out.length; i++) out[i] = out[i]! / this.worldSize;
      for (const [rank, c] of cs.entries()) {
        if (first.kind === 'allReduce') {
          c.data.set(out);
          c.resolve(c.data);
        } else {
          const [s, e] = [c.offsets![rank]!, c.offsets![rank + 1]!];
          const mine = (c.data as Float32Array).subarray(s, e);
          mine.set(out.subarray(s, e));
          c.resolve(mine);
        }
      }
    } else if (first.kind === 'broadcast') {
      const src = cs[first.arg as number]!.data;
      for (const c of cs) {
        c.data.set(src);
        c.resolve(c.data);
      }
    } else {
      const all = cs.map((c) => c.data as Float32Array);
      for (const c of cs) c.resolve(all.map((a) => Float32Array.from(a)));
    }
  }
}

/**
 * A {@link Collective} over N ranks inside one process (one object per rank, sharing a hub): for
 * tests, for single-process debugging of multi-rank code, and as the oracle of the conformance suite.
 *
 * @example
 * const [a, b] = InMemoryCollective.group(2);
 * const [x, y] = await Promise.all([a!.allReduce(Float32Array.of(1, 2), 'sum'), b!.allReduce(Float32Array.of(3, 4), 'sum')]);
 * // x and y are both [4, 6]
 */
export class InMemoryCollective implements Collective {
  step = 0;
  #seq = 0;
  #closed = false;
  readonly #pending = new Set<(e: Error) => void>();

  private constructor(
    private readonly hub: Hub,
    readonly rank: number,
    readonly worldSize: number,
    private readonly defaultDeadlineMs: number,
  ) {}

  /**
   * Creates the `worldSize` ranks of one in-memory group.
   * @param worldSize Number of ranks (>= 1).
   * @param options.defaultDeadlineMs Deadline of calls without their own; default 60 000.
   */
  static group(worldSize: number, options: { defaultDeadlineMs?: number } = {}): InMemoryCollective[] {
    if (!Number.isInteger(worldSize) || worldSize < 1) {
      throw new DistributedError({ op: 'InMemoryCollective.group', expected: 'an integer world size >= 1', received: String(worldSize) });
    }
    const hub = new Hub(worldSize);
    return Array.from({ length: worldSize }, (_, r) => new InMemoryCollective(hub, r, worldSize, options.defaultDeadlineMs ?? 60_000));
  }

  allReduce(data: Float32Array, op: CollectiveReduceOp, options?: CallOptions): Promise<Float32Array> {
    return this.#call('allReduce', data, op, options) as Promise<Float32Array>;
  }

  reduceScatter(data: Float32Array, op: CollectiveReduceOp, options?: CallOptions & { readonly counts?: readonly number[] }): Promise<Float32Array> {
    let offsets: number[];
    try {
      offsets = reduceScatterOffsets(data.length, this.worldSize, options?.counts, 'InMemoryCollective.reduceScatter', `rank ${this.rank}, step ${this.step}`);
    } catch (e) {
      this.#seq++; // the call counts, so later calls stay in step; the other ranks' deadline names this rank
      return Promise.reject(e as Error);
    }
    return this.#call('reduceScatter', data, op, options, offsets) as Promise<Float32Array>;
  }

  broadcast<T extends Float32Array | Uint8Array>(data: T, root: number, options?: CallOptions): Promise<T> {
    if (!Number.isInteger(root) || root < 0 || root >= this.worldSize) {
      return Promise.reject(new DistributedError({ op: 'InMemoryCollective.broadcast', expected: `a root rank in [0, ${this.worldSize})`, received: String(root) }));
    }
    return this.#call('broadcast', data, root, options) as Promise<T>;
  }

  allGather(data: Float32Array, options?: CallOptions): Promise<Float32Array[]> {
    return this.#call('allGather', data, 0, options) as Promise<Float32Array[]>;
  }

  async barrier(label: string, options?: CallOptions): Promise<void> {
    await this.#call('barrier', new Float32Array(0), labelHash(label), options);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.hub.closed.add(this.rank);
    const error = new DistributedError({ op: 'InMemoryCollective', expected: 'an open collective', received: 'closed', where: `rank ${this.rank}` });
    for (const reject of this.#pending) reject(error);
  }

  #call(kind: Kind, data: Float32Array | Uint8Array, arg: Contribution['arg'], options?: CallOptions, offsets?: readonly number[]): Promise<unknown> {
    const seq = this.#seq++;
    const op = `InMemoryCollective.${kind}`;
    if (this.#closed) return Promise.reject(new DistributedError({ op, expected: 'an open collective', received: 'closed', where: `rank ${this.rank}` }));
    const deadlineMs = options?.deadlineMs ?? this.defaultDeadlineMs;
    const step = this.step;
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#pending.delete(fail);
      };
      const fail = (e: Error): void => {
        done();
        reject(e);
      };
      const timer = setTimeout(() => {
        const late = this.hub.late(seq);
        fail(
          new DistributedError({
            op,
            expected: `every rank to reach call ${seq} within ${deadlineMs} ms`,
            received: `late ranks: ${late.join(', ')}${late.some((r) => this.hub.closed.has(r)) ? ' (closed)' : ''}`,
            where: `rank ${this.rank}, step ${step}`,
            hint: 'a rank is stuck, slower than the deadline, or skipped this collective call',
          }),
        );
      }, deadlineMs);
      this.#pending.add(fail);
      this.hub.post(this.rank, seq, {
        kind,
        data,
        arg,
        ...(offsets ? { offsets } : {}),
        resolve: (v) => {
          done();
          resolve(v);
        },
        reject: fail,
      });
    });
  }
}
