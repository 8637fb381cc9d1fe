import { Dtype, Op } from '../protocol/protocol.js';
import type { CollectiveReduceOp } from './collective.js';
import { reduceInto } from './collective.js';
import { JS_HALF_CODEC } from './float16.js';
import type { HalfCodec } from './float16.js';
import type { RingLink } from './ring-link.js';
import type { SimdReducer } from './simd-reducer.js';
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
  /**
   * A scratch array, free during this call, that received segments land in when the link can
   * receive into memory: the reduce-scatter segments (position for position; at least `data.length`
   * floats), or on the small-message path the N-1 other ranks' arrays (at least
   * `(worldSize - 1) * data.length` floats, see {@link ringAllReduceScratchElements}).
   */
  readonly scratch?: Float32Array;
  /** Arrays of at most this many bytes take the small-message path; default {@link SMALL_ALL_REDUCE_BYTES} (0: always the ring). Must be equal on every rank. */
  readonly smallMessageBytes?: number;
  /** The element-wise reduction (e.g. a {@link SimdReducer}'s); default {@link reduceInto}, bit-identical. */
  readonly reduce?: (dst: Float32Array, offset: number, src: Float32Array, op: CollectiveReduceOp) => void;
  /** The fp16 conversions (a `Float16Codec`); default {@link JS_HALF_CODEC}, the same bits. */
  readonly codec?: HalfCodec;
}

/**
 * Arrays of at most this many bytes (float32) take the small-message path: every rank's whole array
 * goes around the ring (N-1 hops instead of the ring's 2(N-1)) and each rank sums all N in rank
 * order, so every rank computes the same bits. For N=2 it is one message each way.
 */
export const SMALL_ALL_REDUCE_BYTES = 65_536;

/** True when an fp32 all-reduce of `n` elements takes the small-message path ({@link SMALL_ALL_REDUCE_BYTES}). */
export function ringAllReduceIsSmall(n: number, fp16: boolean, smallMessageBytes = SMALL_ALL_REDUCE_BYTES): boolean {
  return !fp16 && n * 4 <= smallMessageBytes;
}

/** Floats of `scratch` (RingAllReduceOptions) that lets every receive of an all-reduce of `n` elements land in place. */
export function ringAllReduceScratchElements(n: number, worldSize: number, fp16: boolean, smallMessageBytes = SMALL_ALL_REDUCE_BYTES): number {
  if (fp16) return 0;
  return ringAllReduceIsSmall(n, false, smallMessageBytes) ? n * Math.max(0, worldSize - 1) : n;
}

/**
 * True when a completed fp32 {@link ringAllReduce} of `n` elements on `worldSize` ranks proves that
 * the right neighbour received every message this rank sent before the call: every chunk is non-empty,
 * so this rank's first message of the call (chunk r, after all earlier ones on the same FIFO
 * connection) had to reach rank r+1 before the finished chunk r could come back around the ring.
 * Calls on the small-message path prove nothing of the kind (every rank sends its block first).
 */
export function ringAllReduceFences(n: number, worldSize: number): boolean {
  return worldSize > 1 && n >= worldSize && !ringAllReduceIsSmall(n, false);
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
 * are copied (into `staging` when given), unless the link's sends are done when they resolve
 * (`sendReleasesPayload`: the call awaits its last send). Every receive is posted when the call
 * starts, with the memory its payload belongs in (`scratch`, the caller's array), for links that
 * receive into memory. Arrays up to {@link SMALL_ALL_REDUCE_BYTES} take a one-phase path instead
 * (every array around the ring, combined in rank order: N-1 hops).
 *
 * @example
 * await ringAllReduce(link, grads, 'sum', { seq: 7, segmentElements: 262_144, fp16: false });
 */
export async function ringAllReduce(link: RingLink, data: Float32Array, op: CollectiveReduceOp, o: RingAllReduceOptions): Promise<Float32Array> {
  const { rank: r, worldSize: N } = link;
  if (N === 1) return data;
  const n = data.length;
  const fp16 = o.fp16;
  if (ringAllReduceIsSmall(n, fp16, o.smallMessageBytes)) return smallAllReduce(link, data, op, o.seq, o.scratch);
  const dtype = fp16 ? Dtype.float16 : Dtype.float32;
  const seg = Math.max(1, Math.floor(o.segmentElements));
  const staging = !fp16 && o.staging && o.staging.length >= n ? o.staging : undefined;
  const reduceOp = op === 'mean' ? 'sum' : op;
  const reduce = o.reduce ?? reduceInto;
  const codec = o.codec ?? JS_HALF_CODEC;
  const mod = (x: number): number => ((x % N) + N) % N;
  let sendPart = 0;
  let recvPart = 0;
  let sendError: unknown;
  let lastSend: Promise<void> = Promise.resolve();
  const post = (p: Promise<void>): void => {
    lastSend = p;
    p.catch((e: unknown) => (sendError ??= e));
  };
  /** Sends data[s, e) (fp16: `bits`, its encoding, when the caller has it). `final`: the all-gather class (the caller may write it after the call). */
  const send = (s: number, e: number, final: boolean, bits?: Uint16Array): void => {
    if (sendError !== undefined) throw sendError;
    const part = sendPart++;
    if (fp16) {
      post(link.send(Op.allReduce, o.seq, part, dtype, bits ?? codec.encode(data.subarray(s, e)), true)); // a fresh array: borrow it
    } else if (!final || link.sendReleasesPayload) {
      // Reduce-scatter sends, or any send on a link whose sends are done when they resolve (this
      // call awaits its last send, so the caller never writes memory a send still reads).
      post(link.send(Op.allReduce, o.seq, part, dtype, data.subarray(s, e), true));
    } else if (staging) {
      const view = staging.subarray(s, e);
      view.set(data.subarray(s, e));
      post(link.send(Op.allReduce, o.seq, part, dtype, view, true));
    } else {
      post(link.send(Op.allReduce, o.seq, part, dtype, data.subarray(s, e), false));
    }
  };
  // Every receive of the call is posted up front, each with the memory its payload belongs in: the
  // reduce-scatter's into the scratch (same positions), the all-gather's straight into `data` (safe:
  // finished values of chunk c reach this rank only after rank r+1 received everything this rank
  // sent of chunk c, see the zero-copy note above). A link that cannot receive into memory ignores it.
  const scratch = !fp16 && o.scratch && o.scratch.length >= n ? o.scratch : undefined;
  const bytes = (a: Float32Array, s: number, e: number): Uint8Array => new Uint8Array(a.buffer, a.byteOffset + s * 4, (e - s) * 4);
  const posted: Array<Promise<Uint8Array>> = [];
  {
    let part = 0;
    for (let phase = 0; phase < 2; phase++) {
      for (let t = 0; t < N - 1; t++) {
        const c = mod(phase === 0 ? r - t - 1 : r - t);
        const end = chunkStart(n, N, c + 1);
        for (let s = chunkStart(n, N, c); s < end; s += seg) {
          const e = Math.min(end, s + seg);
          const into = fp16 ? undefined : phase === 0 ? (scratch ? bytes(scratch, s, e) : undefined) : bytes(data, s, e);
          const p = link.recv(Op.allReduce, o.seq, part++, dtype, e - s, into);
          p.catch(() => undefined); // a failed call rejects them all; the one awaited reports it
          posted.push(p);
        }
      }
    }
  }
  // fp16: received segments are widened into `wide` (reduce-scatter) or straight into `data`
  // (all-gather, whose received halves are also what this rank forwards).
  let wide: Float32Array | undefined;
  let lastBits: Uint16Array | undefined;
  const recv = async (into?: Float32Array): Promise<Float32Array> => {
    const payload = await posted[recvPart++]!;
    if (!fp16) return asFloat32(payload);
    const bits = (lastBits = asUint16(payload));
    if (into) return codec.decode(bits, into);
    if (!wide || wide.length < bits.length) wide = new Float32Array(Math.min(n, seg));
    return codec.decode(bits, wide.subarray(0, bits.length));
  };
  // What the owner does to its reduced segment before sharing it, so all ranks keep equal bits;
  // fp16: the segment's half bits, which are what it sends.
  const finish = (s: number, e: number): Uint16Array | undefined => {
    if (op === 'mean') for (let i = s; i < e; i++) data[i] = data[i]! / N;
    if (!fp16) return undefined;
    const view = data.subarray(s, e);
    const bits = codec.encode(view);
    codec.decode(bits, view);
    return bits;
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
      reduce(data, s, await recv(), reduceOp);
      send(s, e, t === N - 2, t === N - 2 ? finish(s, e) : undefined);
    }
  }
  // 3. All-gather: at step t receive the finished chunk r-t, copy it, pass it on unless the next rank owns it.
  for (let t = 0; t < N - 1; t++) {
    const c = mod(r - t);
    const end = chunkStart(n, N, c + 1);
    for (let s = chunkStart(n, N, c); s < end; s += seg) {
      const e = Math.min(end, s + seg);
      const v = await recv(fp16 ? data.subarray(s, e) : undefined);
      if (v.buffer !== data.buffer || v.byteOffset !== data.byteOffset + s * 4) data.set(v, s); // else received (or widened) in place
      if (t < N - 2) send(s, e, true, fp16 ? lastBits : undefined); // fp16: the halves as received (a fresh buffer)
    }
  }
  await lastSend;
  if (sendError !== undefined) throw sendError;
  return data;
}

/**
 * The small-message all-reduce: every rank's array travels the ring (each rank sends its own and
 * forwards what it received, N-1 hops), then each rank combines the N arrays in rank order, so all
 * ranks hold the same bits. Message t of the call (part t) is the array of rank r-1-t.
 */
async function smallAllReduce(link: RingLink, data: Float32Array, op: CollectiveReduceOp, seq: number, scratch: Float32Array | undefined): Promise<Float32Array> {
  const { rank: r, worldSize: N } = link;
  const n = data.length;
  // Message t lands in scratch[t n, (t+1) n) when the scratch is big enough: nobody else touches it
  // during the call, and the forwards of it (borrowed below) are awaited before the call returns.
  const inPlace = scratch !== undefined && scratch.length >= (N - 1) * n && n > 0;
  const posted: Array<Promise<Uint8Array>> = [];
  for (let t = 0; t < N - 1; t++) {
    const into = inPlace ? new Uint8Array(scratch.buffer, scratch.byteOffset + t * n * 4, n * 4) : undefined;
    const p = link.recv(Op.allReduce, seq, t, Dtype.float32, n, into);
    p.catch(() => undefined);
    posted.push(p);
  }
  let sendError: unknown;
  const sends: Array<Promise<void>> = [];
  const send = (part: number, payload: Uint8Array | Float32Array, borrow: boolean): void => {
    const p = link.send(Op.allReduce, seq, part, Dtype.float32, payload, borrow);
    p.catch((e: unknown) => (sendError ??= e));
    sends.push(p);
  };
  send(0, data, false); // copied: the caller's array is written below
  const blocks = new Array<Float32Array>(N);
  blocks[r] = data;
  for (let t = 0; t < N - 1; t++) {
    const payload = await posted[t]!;
    blocks[(((r - 1 - t) % N) + N) % N] = asFloat32(payload);
    if (t < N - 2) send(t + 1, payload, true); // a received buffer nobody writes
  }
  combineInRankOrder(data, blocks, op);
  await Promise.all(sends);
  if (sendError !== undefined) throw sendError;
  return data;
}

/** `out[i] = blocks[0][i] (op) blocks[1][i] (op) ...` in rank order; `out` may be one of the blocks. */
function combineInRankOrder(out: Float32Array, blocks: Float32Array[], op: CollectiveReduceOp): void {
  const N = blocks.length;
  const n = out.length;
  const b0 = blocks[0]!;
  if (op === 'sum' || op === 'mean') {
    if (N === 2) {
      const b1 = blocks[1]!;
      if (op === 'sum') for (let i = 0; i < n; i++) out[i] = b0[i]! + b1[i]!; // rounded to float32 by the store
      else for (let i = 0; i < n; i++) out[i] = Math.fround(b0[i]! + b1[i]!) / 2;
      return;
    }
    for (let i = 0; i < n; i++) {
      let acc = b0[i]!;
      for (let k = 1; k < N; k++) acc = Math.fround(acc + blocks[k]![i]!);
      out[i] = op === 'mean' ? acc / N : acc;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let acc = b0[i]!;
    for (let k = 1; k < N; k++) {
      const v = blocks[k]![i]!;
      if (op === 'max' ? v > acc : v < acc) acc = v;
    }
    out[i] = acc;
  }
}
