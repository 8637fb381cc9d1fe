import { Dtype, Op } from '../protocol/protocol.js';
import type { CollectiveReduceOp } from './collective.js';
import { reduceInto } from './collective.js';
import type { RingLink } from './ring-link.js';
import { asFloat32, chunkStart } from './ring-link.js';

/** Options of {@link directAllReduce}. */
export interface DirectAllReduceOptions {
  /** The call's sequence number (the same on every rank). */
  readonly seq: number;
  /** Elements per message. */
  readonly segmentElements: number;
  /** A scratch array of at least {@link directAllReduceScratchElements} floats, free during the call, that the peers' copies of this rank's chunk land in. */
  readonly scratch?: Float32Array;
  /** The element-wise reduction; default {@link reduceInto}. */
  readonly reduce?: (dst: Float32Array, offset: number, src: Float32Array, op: CollectiveReduceOp) => void;
}

/** Floats of `scratch` that let every reduce-scatter receive of a {@link directAllReduce} of `n` elements land in place. */
export function directAllReduceScratchElements(n: number, worldSize: number): number {
  return (worldSize - 1) * Math.ceil(n / worldSize);
}

/**
 * Direct all-reduce for one host (a full mesh): two phases instead of the ring's 2(N-1) steps.
 * `links[k - 1]` sends to rank r+k and receives from rank r-k (k = 1 .. N-1). Chunk c is the ring's
 * `[floor(c n / N), floor((c+1) n / N))`.
 *
 * 1. Reduce-scatter: every segment of chunk r+k goes to rank r+k at once (all peers interleaved),
 *    while the N-1 copies of chunk r arrive; each segment of chunk r is reduced in the fixed order
 *    k = 1 .. N-1 (so the bits do not depend on arrival order) and finished (/ N for `mean`).
 * 2. All-gather: each finished segment of chunk r goes to all N-1 peers as soon as it is done; the
 *    finished chunk r-k arrives from rank r-k straight into `data`.
 *
 * Each element's result is computed once, on its owner, so every rank ends with identical bits.
 * The same bytes cross the wire as in the ring; no rank waits on a chain of N-1 others, which is what
 * costs the ring on a host with fewer cores than ranks. Needs links whose resolved sends released
 * the payload (`sendReleasesPayload`, the net data plane): sends go out of `data` itself and the call
 * awaits all of them. Chunk r-k's reduce-scatter send to rank r-k is received before rank r-k
 * sends the finished chunk back, so receiving it into `data` never overwrites bytes still in flight.
 *
 * @example
 * await directAllReduce(links, grads, 'sum', { seq: 7, segmentElements: 262_144 });
 */
export async function directAllReduce(links: readonly RingLink[], data: Float32Array, op: CollectiveReduceOp, o: DirectAllReduceOptions): Promise<Float32Array> {
  const N = links.length + 1;
  if (N === 1) return data;
  const r = links[0]!.rank;
  const n = data.length;
  const seg = Math.max(1, Math.floor(o.segmentElements));
  const reduceOp = op === 'mean' ? 'sum' : op;
  const reduce = o.reduce ?? reduceInto;
  const mod = (x: number): number => ((x % N) + N) % N;
  const start = (c: number): number => chunkStart(n, N, c);
  const stride = Math.ceil(n / N);
  const scratch = o.scratch && o.scratch.length >= directAllReduceScratchElements(n, N) ? o.scratch : undefined;
  const bytes = (a: Float32Array, s: number, e: number): Uint8Array => new Uint8Array(a.buffer, a.byteOffset + s * 4, (e - s) * 4);
  const sendParts = new Array<number>(N - 1).fill(0);
  const recvParts = new Array<number>(N - 1).fill(0);
  const sends: Array<Promise<void>> = [];
  let sendError: unknown;
  const send = (k: number, s: number, e: number): void => {
    if (sendError !== undefined) throw sendError;
    const p = links[k - 1]!.send(Op.allReduce, o.seq, sendParts[k - 1]!++, Dtype.float32, data.subarray(s, e), true);
    p.catch((err: unknown) => (sendError ??= err));
    sends.push(p);
  };
  const recv = (k: number, length: number, into: Uint8Array | undefined): Promise<Uint8Array> => {
    const p = links[k - 1]!.recv(Op.allReduce, o.seq, recvParts[k - 1]!++, Dtype.float32, length, into);
    p.catch(() => undefined); // a failed call rejects them all; the one awaited reports it
    return p;
  };
  // Post every receive first: per link, the reduce-scatter segments of chunk r, then the finished chunk r-k.
  const mineS = start(r);
  const mineE = start(r + 1);
  const rs: Array<Array<Promise<Uint8Array>>> = [];
  const ag: Array<Array<Promise<Uint8Array>>> = [];
  for (let k = 1; k < N; k++) {
    const list: Array<Promise<Uint8Array>> = [];
    for (let s = mineS; s < mineE; s += seg) {
      const e = Math.min(mineE, s + seg);
      const at = (k - 1) * stride + (s - mineS);
      list.push(recv(k, e - s, scratch ? bytes(scratch, at, at + e - s) : undefined));
    }
    rs.push(list);
    const c = mod(r - k);
    const g: Array<Promise<Uint8Array>> = [];
    for (let s = start(c); s < start(c + 1); s += seg) {
      const e = Math.min(start(c + 1), s + seg);
      g.push(recv(k, e - s, bytes(data, s, e)));
    }
    ag.push(g);
  }
  // 1. Reduce-scatter sends: segment j of every peer's chunk, peers interleaved.
  for (let j = 0; ; j++) {
    let any = false;
    for (let k = 1; k < N; k++) {
      const c = mod(r + k);
      const s = start(c) + j * seg;
      if (s >= start(c + 1)) continue;
      any = true;
      send(k, s, Math.min(start(c + 1), s + seg));
    }
    if (!any) break;
  }
  // 2. Reduce this rank's chunk segment by segment in the fixed order k = 1 .. N-1, then share it.
  for (let j = 0, s = mineS; s < mineE; j++, s += seg) {
    const e = Math.min(mineE, s + seg);
    for (let k = 1; k < N; k++) reduce(data, s, asFloat32(await rs[k - 1]![j]!), reduceOp);
    if (op === 'mean') for (let i = s; i < e; i++) data[i] = data[i]! / N;
    for (let k = 1; k < N; k++) send(k, s, e);
  }
  // 3. The finished chunks of the others, received in place.
  for (let k = 1; k < N; k++) {
    const c = mod(r - k);
    let j = 0;
    for (let s = start(c); s < start(c + 1); s += seg, j++) {
      const v = asFloat32(await ag[k - 1]![j]!);
      if (v.buffer !== data.buffer || v.byteOffset !== data.byteOffset + s * 4) data.set(v, s); // else received in place
    }
  }
  await Promise.all(sends);
  if (sendError !== undefined) throw sendError;
  return data;
}
