import { Dtype, Op } from '../protocol/protocol.js';
import type { RingLink } from './ring-link.js';

/**
 * Pipelined ring broadcast in place: `root` sends its bytes to the right in segments, every other
 * rank copies each segment and forwards it unless its right neighbour is the root.
 *
 * @example
 * await ringBroadcast(link, weightsBytes, 0, { seq: 0, segmentBytes: 1 << 20 });
 */
export async function ringBroadcast(link: RingLink, bytes: Uint8Array, root: number, o: { seq: number; segmentBytes: number }): Promise<void> {
  const { rank: r, worldSize: N } = link;
  if (N === 1) return;
  const last = (root + N - 1) % N; // the rank that does not forward
  const count = Math.max(1, Math.ceil(bytes.length / o.segmentBytes));
  for (let part = 0; part < count; part++) {
    const s = part * o.segmentBytes;
    const e = Math.min(bytes.length, s + o.segmentBytes);
    if (r !== root) bytes.set(await link.recv(Op.broadcast, o.seq, part, Dtype.uint8, e - s), s);
    if (r !== last) await link.send(Op.broadcast, o.seq, part, Dtype.uint8, bytes.subarray(s, e));
  }
}
