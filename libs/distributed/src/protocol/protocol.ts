// The Omnitrain collective wire protocol: every message on every socket is a 32-byte binary header
// frame followed by one payload frame. This file is the whole schema (PROTOCOL.md explains the steps).
import { createHash } from 'node:crypto';
import { DistributedError } from '@omnitrain/core';

/** Version of the wire protocol; a peer speaking another version is rejected, never reduced. */
export const PROTOCOL_VERSION = 2;

/** First 4 bytes of every header: `OMNI`. */
export const PROTOCOL_MAGIC = 0x494e4d4f;

/** Size of the binary header frame, bytes. */
export const HEADER_BYTES = 32;

/** What a message does. Control ops carry JSON, data ops carry a tensor segment. */
export const Op = {
  /** worker -> rank 0 (coordinator): `{ rank, worldSize, host, addresses, pid }`. */
  hello: 1,
  /** rank 0 -> worker: the peer table `{ peers: PeerInfo[] }`. */
  peers: 2,
  /** rank 0 -> worker: the hello was refused `{ reason }` (bad rank, world size, duplicate). */
  reject: 3,
  /** any -> any: app-level heartbeat; rank 0's carries the progress table. */
  heartbeat: 4,
  /** rank 0 -> all, or worker -> rank 0: the job is broken `{ rank, host, reason }`. */
  abort: 5,
  /** any -> rank 0 / rank 0 -> all: a clean goodbye, so the disconnect that follows is no failure. */
  bye: 6,
  /** rank -> right neighbour: proves the ring is connected before the first collective. */
  ringHello: 7,
  /** ring data: a segment of an all-reduce (reduce-scatter or all-gather phase). */
  allReduce: 16,
  /** ring data: a segment of a broadcast. */
  broadcast: 17,
  /** ring data: a block of an all-gather. */
  allGather: 18,
  /** ring data: a barrier token (the label's hash). */
  barrier: 19,
  /** ring data: a segment of a reduce-scatter (since version 2). */
  reduceScatter: 20,
  /** worker -> membership service (elastic jobs): {@link MemberHello}, asking for a place in the next generation. */
  memberHello: 32,
  /** membership service -> worker: {@link MemberAssignment}, its place in the generation that formed. */
  memberAssign: 33,
  /** membership service -> members: workers wait to join `{ generation, joiners }`; regroup at the next step. */
  memberPending: 34,
  /** membership service -> worker: no place `{ reason }` (excluded as late, or fewer live workers than min). */
  memberRefused: 35,
} as const;

/** A message kind, one of {@link Op}. */
export type OpCode = (typeof Op)[keyof typeof Op];

/** Element type of a payload frame. */
export const Dtype = { json: 0, float32: 1, float16: 2, uint8: 3 } as const;

/** An element type code, one of {@link Dtype}. */
export type DtypeCode = (typeof Dtype)[keyof typeof Dtype];

const ELEMENT_BYTES: Record<DtypeCode, number> = { 0: 1, 1: 4, 2: 2, 3: 1 };

/** Bytes per element of `dtype`. */
export function elementBytes(dtype: DtypeCode): number {
  return ELEMENT_BYTES[dtype];
}

/** The decoded header of one message. */
export interface FrameHeader {
  /** Protocol version ({@link PROTOCOL_VERSION}). */
  readonly version: number;
  /** What the message does. */
  readonly op: OpCode;
  /** Element type of the payload. */
  readonly dtype: DtypeCode;
  /** First 8 bytes of SHA-256 of the job id, hex: messages of another job are rejected. */
  readonly jobTag: string;
  /** The collective call this belongs to (0, 1, 2, ... in call order, the same on every rank). */
  readonly seq: number;
  /** Which segment of the call (ring step x segments + segment). */
  readonly part: number;
  /** Number of elements in the payload. */
  readonly length: number;
  /** The sender's rank. */
  readonly sender: number;
}

/** The 8-byte job tag of `jobId` as 16 hex characters. */
export function jobTag(jobId: string): string {
  return createHash('sha256').update(jobId).digest('hex').slice(0, 16);
}

/** Encodes a header frame. */
export function encodeHeader(h: FrameHeader): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.writeUInt32LE(PROTOCOL_MAGIC, 0);
  b.writeUInt16LE(h.version, 4);
  b.writeUInt8(h.op, 6);
  b.writeUInt8(h.dtype, 7);
  b.write(h.jobTag, 8, 8, 'hex');
  b.writeUInt32LE(h.seq >>> 0, 16);
  b.writeUInt32LE(h.part >>> 0, 20);
  b.writeUInt32LE(h.length >>> 0, 24);
  b.writeUInt16LE(h.sender, 28);
  return b;
}

/** What a received message must match; a field left out is not checked. */
export interface ExpectedFrame {
  readonly jobTag: string;
  readonly op?: OpCode;
  readonly seq?: number;
  readonly part?: number;
  readonly dtype?: DtypeCode;
  readonly length?: number;
  readonly sender?: number;
}

const opName = (op: number): string => Object.entries(Op).find(([, v]) => v === op)?.[0] ?? `op ${op}`;

/**
 * Decodes and checks a header frame and its payload: magic, version, job, and every field of
 * `expected`. A mismatch throws, so a foreign or out-of-step message is never reduced.
 *
 * @throws DistributedError naming the field, the expected and the received value, and the sender.
 * @example
 * const h = decodeHeader(frames[0], frames[1], { jobTag: jobTag('job-1'), op: Op.allReduce, seq: 3 });
 */
export function decodeHeader(frame: Uint8Array, payload: Uint8Array, expected: ExpectedFrame, where = ''): FrameHeader {
  const fail = (field: string, want: string, got: string, hint?: string): never => {
    throw new DistributedError({ op: 'protocol.decodeHeader', expected: `${field} ${want}`, received: got, where: where || undefined, hint });
  };
  if (frame.byteLength !== HEADER_BYTES) fail('a header of', `${HEADER_BYTES} bytes`, `${frame.byteLength} bytes`);
  const b = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (b.readUInt32LE(0) !== PROTOCOL_MAGIC) fail('magic', 'OMNI', `0x${b.readUInt32LE(0).toString(16)}`, 'a process that is not an Omnitrain worker is sending to this port');
  const h: FrameHeader = {
    version: b.readUInt16LE(4),
    op: b.readUInt8(6) as OpCode,
    dtype: b.readUInt8(7) as DtypeCode,
    jobTag: b.toString('hex', 8, 16),
    seq: b.readUInt32LE(16),
    part: b.readUInt32LE(20),
    length: b.readUInt32LE(24),
    sender: b.readUInt16LE(28),
  };
  const from = ` from rank ${h.sender}`;
  if (h.version !== PROTOCOL_VERSION) fail('protocol version', String(PROTOCOL_VERSION), `${h.version}${from}`, 'run the same Omnitrain version on every worker');
  if (h.jobTag !== expected.jobTag) fail('job tag', expected.jobTag, `${h.jobTag}${from}`, 'a worker of another job (OMNITRAIN_JOB_ID) is connected to this one');
  if (!(h.dtype in ELEMENT_BYTES)) fail('dtype', 'one of json, float32, float16, uint8', `${h.dtype}${from}`);
  if (expected.op !== undefined && h.op !== expected.op) fail('op', opName(expected.op), `${opName(h.op)}${from}`, 'the ranks called collectives in different orders');
  if (expected.seq !== undefined && h.seq !== expected.seq) fail('call sequence', String(expected.seq), `${h.seq}${from}`, 'the ranks called collectives in different orders');
  if (expected.part !== undefined && h.part !== expected.part) fail('segment', String(expected.part), `${h.part}${from}`);
  if (expected.dtype !== undefined && h.dtype !== expected.dtype) fail('dtype', String(expected.dtype), `${h.dtype}${from}`, 'every rank must use the same wire format (fp16 option)');
  if (expected.length !== undefined && h.length !== expected.length) fail('length', `${expected.length} elements`, `${h.length} elements${from}`, 'every rank must pass tensors of the same size in the same order');
  if (expected.sender !== undefined && h.sender !== expected.sender) fail('sender', `rank ${expected.sender}`, `rank ${h.sender}`);
  if (payload.byteLength !== h.length * ELEMENT_BYTES[h.dtype]) fail('payload of', `${h.length * ELEMENT_BYTES[h.dtype]} bytes`, `${payload.byteLength} bytes${from}`);
  return h;
}

/** One rank's entry in the peer table that rank 0 sends everyone after the rendezvous. */
export interface PeerInfo {
  readonly rank: number;
  /** `os.hostname()` of the worker. */
  readonly host: string;
  readonly pid: number;
  /**
   * Where its inbox listens: `ipc` (same host only) and `tcp`; `data`: its net data plane listener
   * (`unix:<path>` or `tcp://127.0.0.1:<port>`) when the job's ring data travels on plain sockets;
   * `mesh`: more listeners like `data`, one per stride 2 .. N-1, when the job uses the direct all-reduce.
   */
  readonly addresses: {
    readonly ipc?: string;
    readonly tcp: string;
    readonly data?: string;
    /** The listeners of the direct all-reduce's mesh (net data plane, N >= 3): entry k-2 takes the connection of rank + k, for k = 2 .. N-1. */
    readonly mesh?: readonly string[];
  };
}

/** The hello a worker sends rank 0. */
export interface HelloMessage {
  readonly rank: number;
  readonly worldSize: number;
  readonly host: string;
  readonly pid: number;
  readonly addresses: PeerInfo['addresses'];
}

/** One rank's progress, carried by heartbeats (for stall reports). */
export interface Progress {
  readonly rank: number;
  /** Sequence number of the collective call it is in or last finished. */
  readonly seq: number;
  /** The operation it is in, or `idle`. */
  readonly operation: string;
  /** The training step it last reported. */
  readonly step: number;
  /** Epoch milliseconds of the report. */
  readonly at: number;
}

/** Why the job broke: the rank that failed and what was seen. */
export interface AbortMessage {
  readonly rank: number;
  readonly host: string;
  readonly reason: string;
  /** The failed rank's last known operation and step. */
  readonly operation?: string;
  readonly step?: number;
}

/** An elastic worker's request for a place in the next generation (Op.memberHello). */
export interface MemberHello {
  readonly pid: number;
  /** The address other workers reach this one at (its rendezvous host if it becomes rank 0). */
  readonly host: string;
  /** A free port on `host` for the rendezvous, used if this worker becomes rank 0. */
  readonly port: number;
  /** The generation this worker leaves; -1 for a worker that never was in one (start or join). */
  readonly generation: number;
  /** Optimizer steps its weights hold (the member with the most is the source of the state). */
  readonly appliedSteps: number;
  /** Why it asks: 'start', 'failure' or 'join'. */
  readonly reason: string;
}

/** A worker's place in a new generation (Op.memberAssign). */
export interface MemberAssignment {
  readonly generation: number;
  readonly rank: number;
  readonly worldSize: number;
  /** Rank 0's rendezvous address and port. */
  readonly masterAddr: string;
  readonly masterPort: number;
  /** The job id of this generation's collective (`<job>/g<generation>`: older generations' messages are rejected). */
  readonly jobId: string;
  /** The rank whose state every other member copies (most applied steps, then lowest rank). */
  readonly source: number;
  /** That rank's applied steps. */
  readonly sourceSteps: number;
}

/** Encodes a JSON control message as the two frames of the protocol. */
export function encodeJson(op: OpCode, tag: string, sender: number, body: unknown, seq = 0): [Buffer, Buffer] {
  const payload = Buffer.from(JSON.stringify(body));
  return [encodeHeader({ version: PROTOCOL_VERSION, op, dtype: Dtype.json, jobTag: tag, seq, part: 0, length: payload.byteLength, sender }), payload];
}

/**
 * The header of one kind of ring data message (job, op, dtype, sender fixed; seq, part and length
 * vary), precomputed so that encoding a header is a 16-byte copy plus three integer writes and
 * checking one is a byte comparison plus three integer reads, with no allocation and no parsing.
 * {@link HeaderTemplate.check} checks exactly what {@link decodeHeader} checks (magic, version, job
 * tag, op, dtype, seq, part, length, sender, payload size) and, on any difference, runs
 * `decodeHeader` itself so the error names the field, the expected and the received value.
 *
 * @example
 * const t = new HeaderTemplate(jobTag('job-1'), Op.allReduce, Dtype.float32, 0);
 * const frame = t.encode(7, 0, 1024);
 * new HeaderTemplate(jobTag('job-1'), Op.allReduce, Dtype.float32, 0).check(frame, new Uint8Array(4096), 7, 0, 1024);
 */
export class HeaderTemplate {
  readonly #fixed: Buffer;
  readonly #tag: string;
  readonly #elem: number;
  constructor(
    tag: string,
    readonly op: OpCode,
    readonly dtype: DtypeCode,
    readonly sender: number,
  ) {
    this.#tag = tag;
    this.#elem = ELEMENT_BYTES[dtype];
    this.#fixed = encodeHeader({ version: PROTOCOL_VERSION, op, dtype, jobTag: tag, seq: 0, part: 0, length: 0, sender });
  }

  /** A fresh header frame for message `part` of call `seq` carrying `length` elements. */
  encode(seq: number, part: number, length: number): Buffer {
    const b = Buffer.allocUnsafe(HEADER_BYTES); // from Node's slab pool: no allocation of its own
    this.#fixed.copy(b, 0, 0, HEADER_BYTES);
    b.writeUInt32LE(seq >>> 0, 16);
    b.writeUInt32LE(part >>> 0, 20);
    b.writeUInt32LE(length >>> 0, 24);
    return b;
  }

  /**
   * Writes the header of message `part` of call `seq` carrying `length` elements into `frame` at
   * `offset` (32 bytes), so a message can be one buffer: header and payload side by side.
   *
   * @example
   * const msg = Buffer.allocUnsafe(HEADER_BYTES + payload.byteLength);
   * template.encodeInto(msg, 0, 7, 0, payload.byteLength / 4);
   * msg.set(payload, HEADER_BYTES);
   */
  encodeInto(frame: Buffer, offset: number, seq: number, part: number, length: number): void {
    this.#fixed.copy(frame, offset, 0, HEADER_BYTES);
    frame.writeUInt32LE(seq >>> 0, offset + 16);
    frame.writeUInt32LE(part >>> 0, offset + 20);
    frame.writeUInt32LE(length >>> 0, offset + 24);
  }

  /**
   * Checks a received header frame and its payload against this template and the expected `seq`,
   * `part` and `length` (elements; not checked when undefined, the payload size always is).
   *
   * @throws DistributedError from {@link decodeHeader}, naming the field that differs.
   */
  check(frame: Buffer, payload: Uint8Array, seq: number, part: number, length: number | undefined, where = ''): void {
    const f = this.#fixed;
    if (
      frame.byteLength === HEADER_BYTES &&
      f.compare(frame, 0, 16, 0, 16) === 0 && // magic, version, op, dtype, job tag
      frame.readUInt32LE(16) === seq >>> 0 &&
      frame.readUInt32LE(20) === part >>> 0 &&
      frame.readUInt16LE(28) === this.sender &&
      (length === undefined || frame.readUInt32LE(24) === length >>> 0) &&
      payload.byteLength === frame.readUInt32LE(24) * this.#elem
    ) {
      return;
    }
    // The slow path: decodeHeader names what differs (or accepts what only looks different, e.g. reserved bytes).
    decodeHeader(frame, payload, { jobTag: this.#tag, op: this.op, seq, part, dtype: this.dtype, length, sender: this.sender }, where);
  }
}
