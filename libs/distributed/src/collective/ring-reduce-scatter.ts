import { Dtype, Op } from '../protocol/protocol.js';
import type { CollectiveReduceOp } from './collective.js';
import { reduceInto } from './collective.js';
import { JS_HALF_CODEC } from './float16.js';
import type { HalfCodec } from './float16.js';
import type { RingLink } from './ring-link.js';
import { asFloat32, asUint16 } from './ring-link.js';

/** Options of {@link ringReduceScatter}. */
export interface RingReduceScatterOptions {
  /** The call's sequence number (the same on every rank). */
  readonly seq: number;
  /** Elements per message. */
  readonly segmentElements: number;
  /** Where each rank's chunk starts: N + 1 offsets (see `reduceScatterOffsets`), equal on every rank. */
  readonly offsets: readonly number[];
  /** Send float16 on the wire (the owner's chunk is the sum of fp16-rounded partial sums). */
  readonly fp16: boolean;
  /** A scratch array of at least `data.length` floats, free during the call, that received segments land in (same positions) when the link receives into memory. */
  readonly scratch?: Float32Array;
  /** The element-wise reduction; default {@link reduceInto}. */
  readonly reduce?: (dst: Float32Array, offset: number, src: Float32Array, op: CollectiveReduceOp) => void;
  /** The fp16 conversions (a `Float16Codec`); default {@link JS_HALF_CODEC}, the same bits. */
  readonly codec?: HalfCodec;
}

/**
 * Ring reduce-scatter in place: the first half of the ring all-reduce, shifted by one chunk so that
 * rank r ends owning chunk r. Rank r sends chunk r-1 to the right; at step t = 0 .. N-2 it receives
 * chunk r-t-2, adds it into `data` and passes it on, except at the last step, where the chunk is its
 * own (r) and fully reduced (divided by N for `mean`). Chunks may be uneven or empty (`offsets`).
 * Every chunk is received at most once and sent at most once, so sends go out of `data` itself when
 * the link's sends release the payload (the call awaits its last send); otherwise the link copies them,
 * since the caller may write `data` as soon as the call returns.
 *
 * Resolves with `data.subarray(offsets[r], offsets[r + 1])`; the other chunks of `data` hold partial
 * sums afterwards.
 *
 * @example
 * const mine = await ringReduceScatter(link, grads, 'sum', { seq: 4, segmentElements: 262_144, fp16: false, offsets: reduceScatterOffsets(grads.length, link.worldSize) });
 */
export async function ringReduceScatter(link: RingLink, data: Float32Array, op: CollectiveReduceOp, o: RingReduceScatterOptions): Promise<Float32Array> {
  const { rank: r, worldSize: N } = link;
  const off = o.offsets;
  const mine = data.subarray(off[r]!, off[r + 1]!);
  if (N === 1) return mine;
  const fp16 = o.fp16;
  const dtype = fp16 ? Dtype.float16 : Dtype.float32;
  const seg = Math.max(1, Math.floor(o.segmentElements));
  const reduceOp = op === 'mean' ? 'sum' : op;
  const reduce = o.reduce ?? reduceInto;
  const codec = o.codec ?? JS_HALF_CODEC;
  const borrow = link.sendReleasesPayload === true;
  const mod = (x: number): number => ((x % N) + N) % N;
  const scratch = !fp16 && o.scratch && o.scratch.length >= data.length ? o.scratch : undefined;
  let sendPart = 0;
  let sendError: unknown;
  let lastSend: Promise<void> = Promise.resolve();
  const send = (s: number, e: number): void => {
    if (sendError !== undefined) throw sendError;
    const view = data.subarray(s, e);
    const p = fp16 ? link.send(Op.reduceScatter, o.seq, sendPart++, dtype, codec.encode(view), true) : link.send(Op.reduceScatter, o.seq, sendPart++, dtype, view, borrow);
    p.catch((err: unknown) => (sendError ??= err));
    lastSend = p;
  };
  const posted: Array<Promise<Uint8Array>> = [];
  let part = 0;
  for (let t = 0; t < N - 1; t++) {
    const c = mod(r - t - 2);
    for (let s = off[c]!; s < off[c + 1]!; s += seg) {
      const e = Math.min(off[c + 1]!, s + seg);
      const into = scratch ? new Uint8Array(scratch.buffer, scratch.byteOffset + s * 4, (e - s) * 4) : undefined;
      const p = link.recv(Op.reduceScatter, o.seq, part++, dtype, e - s, into);
      p.catch(() => undefined); // a failed call rejects them all; the one awaited reports it
      posted.push(p);
    }
  }
  // 1. Chunk r-1 to the right, every segment at once.
  {
    const c = mod(r - 1);
    for (let s = off[c]!; s < off[c + 1]!; s += seg) send(s, Math.min(off[c + 1]!, s + seg));
  }
  // 2. Step t: receive chunk r-t-2, reduce it, pass it on (the last step's chunk is this rank's).
  let recvPart = 0;
  for (let t = 0; t < N - 1; t++) {
    const c = mod(r - t - 2);
    for (let s = off[c]!; s < off[c + 1]!; s += seg) {
      const e = Math.min(off[c + 1]!, s + seg);
      const payload = await posted[recvPart++]!;
      reduce(data, s, fp16 ? codec.decode(asUint16(payload)) : asFloat32(payload), reduceOp);
      if (t < N - 2) send(s, e);
    }
  }
  if (op === 'mean') for (let i = 0; i < mine.length; i++) mine[i] = mine[i]! / N;
  await lastSend;
  if (sendError !== undefined) throw sendError;
  return mine;
}
