import type { DtypeCode, OpCode } from '../protocol/protocol.js';

/**
 * One rank's two ring neighbours as the ring algorithms see them: send to the right, receive from
 * the left, each message tagged with the call's op and sequence and a running part number, checked
 * on arrival (see protocol.ts). The ZeroMQ collective implements it; the algorithms know no sockets.
 */
export interface RingLink {
  readonly rank: number;
  readonly worldSize: number;
  /**
   * True when a resolved {@link RingLink.send} no longer reads the payload (the bytes are in the
   * kernel): then a call that awaits its sends may send memory the caller writes after the call
   * (the all-gather sends of ring-all-reduce.ts) without staging copies. ZeroMQ reads zero-copy
   * payloads after send() resolved, so its link says false.
   */
  readonly sendReleasesPayload?: boolean;
  /**
   * Queues one message to the right neighbour. `payload` is copied before it returns, unless
   * `borrow` is true: then the link may send the caller's memory itself (zero-copy), and the caller
   * promises not to write it until the right neighbour has received it (ring-all-reduce.ts proves
   * when that holds). Sends go out in call order; a caller need not await one before the next.
   */
  send(op: OpCode, seq: number, part: number, dtype: DtypeCode, payload: ArrayBufferView, borrow?: boolean): Promise<void>;
  /**
   * The next message from the left neighbour, checked against op, seq, part, dtype and length (when
   * given). Calls may be made ahead of the messages (all of a call's receives at once); each gets the
   * next message in call order. `into`: memory the payload may be received into (a link that can
   * returns `into` itself, others a buffer of their own); the caller does not touch it meanwhile.
   */
  recv(op: OpCode, seq: number, part: number, dtype: DtypeCode, length?: number, into?: Uint8Array): Promise<Uint8Array>;
}

/** Start of chunk `c` when `n` elements are split in `parts` near-equal chunks. */
export function chunkStart(n: number, parts: number, c: number): number {
  return Math.floor((c * n) / parts);
}

/** A received payload as a Float32Array, copied only when ZeroMQ handed it unaligned. */
export function asFloat32(payload: Uint8Array): Float32Array {
  if (payload.byteOffset % 4 === 0) return new Float32Array(payload.buffer, payload.byteOffset, payload.byteLength / 4);
  return new Float32Array(new Uint8Array(payload).buffer); // a copy (Buffer#slice would be a view)
}

/** A received payload as a Uint16Array (float16 bits), copied only when unaligned. */
export function asUint16(payload: Uint8Array): Uint16Array {
  if (payload.byteOffset % 2 === 0) return new Uint16Array(payload.buffer, payload.byteOffset, payload.byteLength / 2);
  return new Uint16Array(new Uint8Array(payload).buffer);
}
