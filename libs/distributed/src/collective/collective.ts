/** How {@link Collective.allReduce} combines the ranks' arrays element-wise. */
export type CollectiveReduceOp = 'sum' | 'mean' | 'max' | 'min';

/** Options of every collective call. */
export interface CallOptions {
  /** Milliseconds this call may take before it fails with a stall report naming the late ranks. Default: the collective's `defaultDeadlineMs`. */
  readonly deadlineMs?: number;
}

/**
 * Collective communication between the ranks of a job. Every rank must issue the same calls in the
 * same order with the same sizes; calls issued concurrently on one rank run one after the other, in
 * call order. Every call has a deadline; a failed or closed peer makes calls reject with a
 * DistributedError naming the rank, its host, the step and the operation.
 *
 * @example
 * const grads = new Float32Array([...]);
 * await collective.allReduce(grads, 'mean', { deadlineMs: 30_000 }); // in place, returns grads
 */
export interface Collective {
  /** This process's rank, 0-based. */
  readonly rank: number;
  /** Number of ranks. */
  readonly worldSize: number;
  /** The training step, named in error messages; set by the strategy before each step. */
  step: number;
  /** Reduces `data` over all ranks in place and resolves with the same array. */
  allReduce(data: Float32Array, op: CollectiveReduceOp, options?: CallOptions): Promise<Float32Array>;
  /** Copies `root`'s `data` into every rank's `data` (same length everywhere) in place. */
  broadcast<T extends Float32Array | Uint8Array>(data: T, root: number, options?: CallOptions): Promise<T>;
  /**
   * Reduces `data` over all ranks and resolves with this rank's chunk of the result: rank r gets
   * `[floor(r n / N), floor((r + 1) n / N))`, or with `counts` (one per rank, integers >= 0, zeros
   * allowed, summing to `data.length`, equal on every rank) the `counts[r]` elements after those of
   * the ranks before it. The chunk is a view of `data`, reduced in place; the rest of `data` holds
   * partial sums afterwards. Bad `counts` reject with a DistributedError naming the rank.
   *
   * @example
   * const mine = await collective.reduceScatter(grads, 'sum', { counts: [100, 0, 28] }); // rank 1 gets 0 elements
   */
  reduceScatter(data: Float32Array, op: CollectiveReduceOp, options?: CallOptions & { readonly counts?: readonly number[] }): Promise<Float32Array>;
  /** Every rank's `data`, indexed by rank (ranks may pass different lengths, 0 included). */
  allGather(data: Float32Array, options?: CallOptions): Promise<Float32Array[]>;
  /** Resolves once every rank reached a barrier with the same `label`; a different label is an error naming the rank. */
  barrier(label: string, options?: CallOptions): Promise<void>;
  /** Releases sockets and timers; safe to call twice. Pending calls reject. */
  close(): Promise<void>;
}

/** Combines `src` into `dst[offset ..]` element-wise: the tight loop every implementation uses. */
export function reduceInto(dst: Float32Array, offset: number, src: Float32Array, op: CollectiveReduceOp): void {
  const n = src.length;
  if (op === 'max') {
    for (let i = 0; i < n; i++) if (src[i]! > dst[offset + i]!) dst[offset + i] = src[i]!;
  } else if (op === 'min') {
    for (let i = 0; i < n; i++) if (src[i]! < dst[offset + i]!) dst[offset + i] = src[i]!;
  } else {
    for (let i = 0; i < n; i++) dst[offset + i] += src[i]!;
  }
}

/** 24-bit FNV-1a hash of a barrier label (exact in a float32). */
export function labelHash(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return (h >>> 0) & 0xffffff;
}
