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
}

/**
 * Ring all-reduce in place: reduce-scatter (N-1 steps, each rank ends owning one fully reduced
 * chunk) then all-gather (N-1 steps), every chunk cut in segments so sending, receiving and reducing
 * overlap. Each element's result is computed once, on its owner, and copied to the others, so every
 * rank ends with identical bits.
 *
 * @example
 * await ringAllReduce(link, grads, 'sum', { seq: 7, segmentElements: 262_144, fp16: false });
 */
export async function ringAllReduce(link: RingLink, data: Float32Array, op: CollectiveReduceOp, o: RingAllReduceOptions): Promise<Float32Array> {
  const { rank: r, worldSize: N } = link;
  if (N === 1) return data;
  const n = data.length;
  const dtype = o.fp16 ? Dtype.float16 : Dtype.float32;
  const mod = (x: number): number => ((x % N) + N) % N;
  const segments = (c: number): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    const end = chunkStart(n, N, c + 1);
    for (let s = chunkStart(n, N, c); s < end; s += o.segmentElements) out.push([s, Math.min(end, s + o.segmentElements)]);
    return out;
  };
  let sendPart = 0;
  let recvPart = 0;
  const send = (start: number, end: number): Promise<void> => {
    const view = data.subarray(start, end);
    return link.send(Op.allReduce, o.seq, sendPart++, dtype, o.fp16 ? toFloat16(view) : view);
  };
  const recv = async (start: number, end: number): Promise<Float32Array> => {
    const payload = await link.recv(Op.allReduce, o.seq, recvPart++, dtype, end - start);
    return o.fp16 ? fromFloat16(asUint16(payload)) : asFloat32(payload);
  };
  // What the owner does to its reduced segment before sharing it, so all ranks keep equal bits.
  const finish = (start: number, end: number): void => {
    const view = data.subarray(start, end);
    if (op === 'mean') for (let i = 0; i < view.length; i++) view[i] = view[i]! / N;
    if (o.fp16) fromFloat16(toFloat16(view), view);
  };

  for (const [s, e] of segments(r)) await send(s, e);
  // Reduce-scatter: at step t receive chunk r-t-1, reduce it, pass it on (pipelined per segment).
  for (let t = 0; t < N - 1; t++) {
    for (const [s, e] of segments(mod(r - t - 1))) {
      reduceInto(data, s, await recv(s, e), op === 'mean' ? 'sum' : op);
      if (t === N - 2) finish(s, e);
      await send(s, e);
    }
  }
  // All-gather: at step t receive the finished chunk r-t, copy it, pass it on unless the next rank owns it.
  for (let t = 0; t < N - 1; t++) {
    for (const [s, e] of segments(mod(r - t))) {
      data.set(await recv(s, e), s);
      if (t < N - 2) await send(s, e);
    }
  }
  return data;
}
