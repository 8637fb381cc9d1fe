import { Dtype, Op } from '../protocol/protocol.js';
import type { CollectiveReduceOp } from './collective.js';
import { reduceInto } from './collective.js';
import { fromFloat16, toFloat16 } from './float16.js';
import type { RingLink } from './ring-link.js';
import { asFloat32, asUint16, chunkStart } from './ring-link.js';

/** Options of {@link ringAllReduce}. */
export interface RingAllReduceOptions {
  /** The call's sequence number (the same on every rank). */
  readonly seq: number;
  /** Elements per message (1-4 MiB of float32 is the sweet spot). */
  readonly segmentElements: number;
  /** Send float16 on the wire (half the bytes; every rank ends with the same fp16-rounded values). */
  readonly fp16: boolean;
  /**
   * A scratch array of at least `data.length` floats that nobody reads or writes during this call
   * and whose earlier contents may still be in flight only if {@link ringAllReducePreservesStaging}
   * says so: an arena used in one call may be reused after a later fencing call completed (zmq-collective.ts keeps two and alternates). The all-gather sends are staged
   * there and sent zero-copy; without it they are copied into fresh buffers.
   */
  readonly staging?: Float32Array;
}

/**
 * True when a completed fp32 {@link ringAllReduce} of `n` elements on `worldSize` ranks proves that
 * the right neighbour received every message this rank sent before the call: every chunk is non-empty,
 * so this rank's first message of the call (chunk r, after all earlier ones on the same FIFO
 * connection) had to reach rank r+1 before the finished chunk r could come back around the ring.
 */
export function ringAllReduceFences(n: number, worldSize: number): boolean {
  return worldSize > 1 && n >= worldSize;
}

/**
 * Ring all-reduce in place: reduce-scatter (N-1 steps, each rank ends owning one fully reduced
 * chunk) then all-gather (N-1 steps), every chunk cut in segments. Sends are not awaited one by one:
 * segment k goes out while segment k+1 is received and reduced, many segments in flight.
 * Each element's result is computed once, on its owner, and copied to the others, so every rank ends
 * with identical bits.
 *
 * Zero-copy: the reduce-scatter sends (chunk r, then chunks r-1 .. r+2 after reducing them) are
 * sent straight from `data`: this rank writes those elements again only in the all-gather, with the
 * finished values, which exist only after rank r+1 received them. The all-gather sends (chunk r+1
 * finished here, chunks this rank forwards) would be written by the caller after the call, so they
 * are copied (into `staging` when given).
 *
 * @example
 * await ringAllReduce(link, grads, 'sum', { seq: 7, segmentElements: 262_144, fp16: false });
 */
export async function ringAllReduce(link: RingLink, data: Float32Array, op: CollectiveReduceOp, o: RingAllReduceOptions): Promise<Float32Array> {
  const { rank: r, worldSize: N } = link;
  if (N === 1) return data;
  const n = data.length;
  const fp16 = o.fp16;
  const dtype = fp16 ? Dtype.float16 : Dtype.float32;
  const seg = Math.max(1, Math.floor(o.segmentElements));
  const staging = !fp16 && o.staging && o.staging.length >= n ? o.staging : undefined;
  const reduceOp = op === 'mean' ? 'sum' : op;
  const mod = (x: number): number => ((x % N) + N) % N;
  let sendPart = 0;
  let recvPart = 0;
  let sendError: unknown;
  let lastSend: Promise<void> = Promise.resolve();
  const post = (p: Promise<void>): void => {
    lastSend = p;
    p.catch((e: unknown) => (sendError ??= e));
  };
  /** Sends data[s, e). `final`: the all-gather class (the caller may write it after the call). */
  const send = (s: number, e: number, final: boolean): void => {
    if (sendError !== undefined) throw sendError;
    const part = sendPart++;
    if (fp16) {
      post(link.send(Op.allReduce, o.seq, part, dtype, toFloat16(data.subarray(s, e)), true)); // a fresh array: borrow it
    } else if (!final) {
      post(link.send(Op.allReduce, o.seq, part, dtype, data.subarray(s, e), true));
    } else if (staging) {
      const view = staging.subarray(s, e);
      view.set(data.subarray(s, e));
      post(link.send(Op.allReduce, o.seq, part, dtype, view, true));
    } else {
      post(link.send(Op.allReduce, o.seq, part, dtype, data.subarray(s, e), false));
    }
  };
  const recv = async (s: number, e: number): Promise<Float32Array> => {
    const payload = await link.recv(Op.allReduce, o.seq, recvPart++, dtype, e - s);
    return fp16 ? fromFloat16(asUint16(payload)) : asFloat32(payload);
  };
  // What the owner does to its reduced segment before sharing it, so all ranks keep equal bits.
  const finish = (s: number, e: number): void => {
    if (op === 'mean') for (let i = s; i < e; i++) data[i] = data[i]! / N;
    if (fp16) {
      const view = data.subarray(s, e);
      fromFloat16(toFloat16(view), view);
    }
  };

  // 1. Chunk r to the right, every segment at once.
  {
    const end = chunkStart(n, N, r + 1);
    for (let s = chunkStart(n, N, r); s < end; s += seg) send(s, Math.min(end, s + seg), false);
  }
  // 2. Reduce-scatter: at step t receive chunk r-t-1, reduce it, pass it on segment by segment.
  for (let t = 0; t < N - 1; t++) {
    const c = mod(r - t - 1);
    const end = chunkStart(n, N, c + 1);
    for (let s = chunkStart(n, N, c); s < end; s += seg) {
      const e = Math.min(end, s + seg);
      reduceInto(data, s, await recv(s, e), reduceOp);
      if (t === N - 2) finish(s, e);
      send(s, e, t === N - 2);
    }
  }
  // 3. All-gather: at step t receive the finished chunk r-t, copy it, pass it on unless the next rank owns it.
  for (let t = 0; t < N - 1; t++) {
    const c = mod(r - t);
    const end = chunkStart(n, N, c + 1);
    for (let s = chunkStart(n, N, c); s < end; s += seg) {
      const e = Math.min(end, s + seg);
      data.set(await recv(s, e), s);
      if (t < N - 2) send(s, e, true);
    }
  }
  await lastSend;
  if (sendError !== undefined) throw sendError;
  return data;
}
