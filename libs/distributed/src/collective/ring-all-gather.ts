import type { OpCode } from '../protocol/protocol.js';
import { Dtype, Op } from '../protocol/protocol.js';
import type { RingLink } from './ring-link.js';
import { asFloat32 } from './ring-link.js';

/**
 * Ring all-gather: in N-1 steps each rank passes on the block it received last, so every rank ends
 * with every rank's block (blocks may differ in length; each block travels as one message, so keep
 * them small: checksums, metrics, labels).
 *
 * @example
 * const all = await ringAllGather(link, Float32Array.of(loss), { seq: 3 }); // all[k] is rank k's
 */
export async function ringAllGather(link: RingLink, data: Float32Array, o: { seq: number; op?: OpCode }): Promise<Float32Array[]> {
  const { rank: r, worldSize: N } = link;
  const op = o.op ?? Op.allGather;
  const blocks: Float32Array[] = new Array<Float32Array>(N);
  blocks[r] = Float32Array.from(data);
  for (let t = 0; t < N - 1; t++) {
    await link.send(op, o.seq, t, Dtype.float32, blocks[(r - t + N) % N]!);
    blocks[(r - t - 1 + N) % N] = Float32Array.from(asFloat32(await link.recv(op, o.seq, t, Dtype.float32)));
  }
  return blocks;
}
