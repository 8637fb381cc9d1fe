import { hostname } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { ConfigError, DistributedError } from '@omnitrain/core';
import type { AbortMessage, DtypeCode, HelloMessage, OpCode, PeerInfo, Progress } from '../protocol/protocol.js';
import { Dtype, HEADER_BYTES, HeaderTemplate, Op, decodeHeader, encodeJson, jobTag } from '../protocol/protocol.js';
import type { CallOptions, Collective, CollectiveReduceOp } from './collective.js';
import { labelHash } from './collective.js';
import { readClusterEnv } from '../cluster/cluster-env.js';
import { deriveCurveKeys } from './curve-keys.js';
import { Inbox } from './inbox.js';
import { NetDataPlane } from './net-data-plane.js';
import { SimdReducer } from './simd-reducer.js';
import { Float16Codec } from './float16-codec.js';
import { ringAllGather } from './ring-all-gather.js';
import { ringAllReduce, ringAllReduceFences, ringAllReduceIsSmall, ringAllReduceScratchElements } from './ring-all-reduce.js';
import { directAllReduce, directAllReduceScratchElements } from './direct-all-reduce.js';
import { useDirectAllReduce } from './use-direct-all-reduce.js';
import { ringBroadcast } from './ring-broadcast.js';
import { ringReduceScatter } from './ring-reduce-scatter.js';
import { reduceScatterOffsets } from './reduce-scatter-offsets.js';
import type { RingLink } from './ring-link.js';
import type { ZmqCollectiveConfig, ZmqCollectiveOptions } from './zmq-collective-options.js';
import { isLoopback, zmqCollectiveOptionsSchema } from './zmq-collective-options.js';

/** Net data plane messages with at most this many payload bytes go out as one buffer (header + payload copied together, one write). */
const SMALL_FRAME_BYTES = 65_536;

/** Socket options for one side of a connection: heartbeats, linger, and CURVE when the job has a secret. */
interface SocketRole {
  server: boolean;
}

/**
 * The ZeroMQ {@link Collective}: rank 0 runs the rendezvous (a ROUTER at MASTER_ADDR:MASTER_PORT),
 * each rank listens on an inbox (ipc:// and tcp://) and pushes to its right neighbour; all-reduce is a
 * segmented ring (reduce-scatter + all-gather). Every connection has ZMTP heartbeats; rank 0 watches
 * every worker (and every worker watches rank 0), so a killed or frozen rank is noticed, the job is
 * aborted everywhere, and calls reject naming the rank, its host, the step and the operation.
 * See PROTOCOL.md for the numbered steps.
 *
 * @example
 * const collective = await ZmqCollective.connect({ ...readClusterEnv(), fp16: false });
 * await collective.allReduce(grads, 'mean', { deadlineMs: 30_000 });
 * await collective.close();
 */
export class ZmqCollective implements Collective {
  step = 0;
  readonly rank: number;
  readonly worldSize: number;
  readonly #o: ZmqCollectiveConfig;
  readonly #tag: string;
  readonly #host = hostname();
  readonly #curve: { publicKey: string; secretKey: string } | undefined;
  readonly #inboxSocket: zmq.Pull;
  readonly #inbox: Inbox;
  readonly #sockets: zmq.Socket[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  #right: zmq.Push | undefined;
  #router: zmq.Router | undefined;
  #dealer: zmq.Dealer | undefined;
  #peers: PeerInfo[] = [];
  readonly #routingIds = new Map<number, Buffer>();
  readonly #byes = new Set<number>();
  readonly #lastHeard = new Map<number, number>();
  #progress: Progress[] = [];
  #seq = 0;
  #operation = 'rendezvous';
  /** The call in progress (calls run one at a time) and the calls waiting for it. */
  #running: { operation: string; seq: number; deadlineMs: number; deadlineAt: number } | undefined;
  readonly #queue: Array<() => void> = [];
  /** The one deadline timer (see #call) and when it fires (performance.now() ms). */
  #watchdog: NodeJS.Timeout | undefined;
  #watchdogAt = Infinity;
  #failure: DistributedError | undefined;
  readonly #failed: Promise<never>;
  #rejectFailed!: (e: Error) => void;
  /** Rejects the call in progress (set while one runs). */
  #rejectCall: ((e: Error) => void) | undefined;
  #closing = false;
  #sendQueue: Promise<unknown> = Promise.resolve();
  /** Ring sends waiting for the PUSH socket (ZeroMQ allows one pending send per socket). */
  readonly #ringQueue: Array<{ frames: Buffer[]; resolve: () => void; reject: (e: Error) => void }> = [];
  #ringSending = false;
  /** Header templates of ring messages, per direction, op and dtype. */
  readonly #templates = new Map<number, HeaderTemplate>();
  /** Two staging arenas for all-reduce's all-gather sends, used alternately by fencing all-reduces. */
  readonly #staging: [Float32Array | undefined, Float32Array | undefined] = [undefined, undefined];
  #fencingAllReduces = 0;
  /** The scratch the reduce-scatter receives into (net data plane only). */
  #scratch: Float32Array | undefined;
  /** The bulk data plane on plain sockets, when `dataPlane` resolves to net (else the ZeroMQ ring). */
  #plane: NetDataPlane | undefined;
  /** The direct all-reduce's mesh: plane k-2 sends to rank + k and receives from rank - k (k = 2 .. N-1); empty without a mesh. */
  #mesh: NetDataPlane[] = [];
  /** The wasm SIMD reduction of all-reduce segments (created on the first all-reduce). */
  #reducer: SimdReducer | undefined;
  #codec: Float16Codec | undefined;

  private constructor(o: ZmqCollectiveConfig) {
    this.#o = o;
    this.rank = o.rank;
    this.worldSize = o.worldSize;
    this.#tag = jobTag(o.jobId);
    this.#curve = o.jobSecret === undefined ? undefined : deriveCurveKeys(o.jobSecret, o.jobId);
    this.#failed = new Promise<never>((_, reject) => (this.#rejectFailed = reject));
    this.#failed.catch(() => undefined);
    this.#inboxSocket = new zmq.Pull(this.#socketOptions({ server: true }));
    this.#sockets.push(this.#inboxSocket);
    this.#inbox = new Inbox(this.#inboxSocket);
    const now = Date.now();
    this.#progress = Array.from({ length: o.worldSize }, (_, rank) => ({ rank, seq: -1, operation: 'rendezvous', step: 0, at: now }));
  }

  /**
   * Joins the job: binds this rank's inbox, runs the rendezvous (rank 0 collects every hello and
   * sends the peer table), connects the ring and checks it with one message around it.
   *
   * @param options Rank, world size, rendezvous address and tuning (see `zmqCollectiveOptionsSchema`).
   * @throws ConfigError for invalid options or a non-loopback address without `jobSecret`.
   * @throws DistributedError when the rendezvous fails or times out (naming the missing ranks).
   */
  static async connect(options: ZmqCollectiveOptions): Promise<ZmqCollective> {
    const parsed = zmqCollectiveOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new ConfigError(
        { op: 'ZmqCollective.connect', expected: 'valid collective options', received: `${parsed.error.issues.length} issue(s)` },
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    const o = parsed.data;
    if (o.rank >= o.worldSize) {
      throw new ConfigError({ op: 'ZmqCollective.connect', expected: `rank < worldSize (${o.worldSize})`, received: `rank ${o.rank}`, where: 'RANK' });
    }
    if (o.dataPlane === 'net' && o.jobSecret !== undefined) {
      throw new ConfigError({
        op: 'ZmqCollective.connect',
        expected: 'dataPlane auto or zmq when the job has a secret (the net data plane is not encrypted)',
        received: 'dataPlane net with jobSecret',
        hint: 'drop dataPlane (auto picks ZeroMQ + CURVE for jobs with a secret)',
      });
    }
    if (!isLoopback(o.masterAddr) && o.jobSecret === undefined) {
      throw new ConfigError({
        op: 'ZmqCollective.connect',
        expected: 'OMNITRAIN_JOB_SECRET (jobSecret) when the rendezvous binds a non-loopback address',
        received: `MASTER_ADDR ${o.masterAddr} and no secret`,
        hint: 'set OMNITRAIN_JOB_SECRET to the same random string on every worker (CURVE encryption and authentication), or use 127.0.0.1',
      });
    }
    const c = new ZmqCollective(o);
    try {
      await c.#rendezvous();
    } catch (e) {
      await c.close();
      throw e;
    }
    return c;
  }

  /**
   * Joins the job described by the environment ({@link readClusterEnv}: torchrun or Slurm
   * variables, OMNITRAIN_JOB_ID, OMNITRAIN_JOB_SECRET) with `overrides` for the tuning options.
   *
   * @example
   * const collective = await ZmqCollective.fromEnv(process.env, { fp16: true });
   */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env, overrides: Partial<ZmqCollectiveOptions> = {}): Promise<ZmqCollective> {
    const c = readClusterEnv(env);
    const advertise = env['OMNITRAIN_ADVERTISE_ADDR'];
    return ZmqCollective.connect({
      rank: c.rank,
      worldSize: c.worldSize,
      masterAddr: c.masterAddr,
      masterPort: c.masterPort,
      jobId: c.jobId,
      ...(c.jobSecret === undefined ? {} : { jobSecret: c.jobSecret }),
      ...(advertise ? { advertiseAddr: advertise } : {}),
      ...overrides,
    });
  }

  allReduce(data: Float32Array, op: CollectiveReduceOp, options?: CallOptions): Promise<Float32Array> {
    return this.#call('allReduce', options, async (seq) => {
      if (this.#mesh.length > 0 && !this.#o.fp16 && !ringAllReduceIsSmall(data.length, false) && useDirectAllReduce(this.#o.allReduceAlgorithm, this.worldSize, data.length * 4)) {
        const need = directAllReduceScratchElements(data.length, this.worldSize);
        const scratch = this.#scratch && this.#scratch.length >= need ? this.#scratch : (this.#scratch = new Float32Array(need));
        const links = [this.#link(), ...this.#mesh.map((_, i) => this.#link(i + 2))];
        return directAllReduce(links, data, op, { seq, segmentElements: this.#o.segmentBytes / 4, scratch, reduce: this.#reduce });
      }
      // A completed fencing all-reduce proves everything sent before it arrived, so the arena of the
      // fencing call before the previous one is free again (ring-all-reduce.ts, ringAllReduceFences).
      const fences = !this.#plane && !this.#o.fp16 && ringAllReduceFences(data.length, this.worldSize); // the net plane needs no staging
      let staging: Float32Array | undefined;
      if (fences) {
        const k = this.#fencingAllReduces & 1;
        const arena = this.#staging[k];
        staging = arena && arena.length >= data.length ? arena : (this.#staging[k] = new Float32Array(data.length));
      }
      let scratch: Float32Array | undefined;
      const need = this.#plane ? ringAllReduceScratchElements(data.length, this.worldSize, this.#o.fp16) : 0;
      if (need > 0) scratch = this.#scratch && this.#scratch.length >= need ? this.#scratch : (this.#scratch = new Float32Array(need));
      const out = await ringAllReduce(this.#link(), data, op, { seq, segmentElements: this.#o.segmentBytes / 4, fp16: this.#o.fp16, ...(staging ? { staging } : {}), ...(scratch ? { scratch } : {}), reduce: this.#reduce, ...this.#halfCodec() });
      if (fences) this.#fencingAllReduces++;
      return out;
    });
  }

  reduceScatter(data: Float32Array, op: CollectiveReduceOp, options?: CallOptions & { readonly counts?: readonly number[] }): Promise<Float32Array> {
    return this.#call('reduceScatter', options, async (seq) => {
      const offsets = reduceScatterOffsets(data.length, this.worldSize, options?.counts, 'ZmqCollective.reduceScatter', `rank ${this.rank} (host ${this.#host}), step ${this.step}`);
      let scratch: Float32Array | undefined;
      if (this.#plane && !this.#o.fp16 && data.length > 0) scratch = this.#scratch && this.#scratch.length >= data.length ? this.#scratch : (this.#scratch = new Float32Array(data.length));
      return ringReduceScatter(this.#link(), data, op, { seq, segmentElements: this.#o.segmentBytes / 4, fp16: this.#o.fp16, offsets, ...(scratch ? { scratch } : {}), reduce: this.#reduce, ...this.#halfCodec() });
    });
  }

  broadcast<T extends Float32Array | Uint8Array>(data: T, root: number, options?: CallOptions): Promise<T> {
    if (!Number.isInteger(root) || root < 0 || root >= this.worldSize) {
      return Promise.reject(new DistributedError({ op: 'ZmqCollective.broadcast', expected: `a root rank in [0, ${this.worldSize})`, received: String(root) }));
    }
    return this.#call('broadcast', options, async (seq) => {
      await ringBroadcast(this.#link(), new Uint8Array(data.buffer, data.byteOffset, data.byteLength), root, { seq, segmentBytes: this.#o.segmentBytes });
      return data;
    });
  }

  allGather(data: Float32Array, options?: CallOptions): Promise<Float32Array[]> {
    return this.#call('allGather', options, (seq) => ringAllGather(this.#link(), data, { seq }));
  }

  async barrier(label: string, options?: CallOptions): Promise<void> {
    await this.#call('barrier', options, async (seq) => {
      const mine = labelHash(label);
      const all = await ringAllGather(this.#link(), Float32Array.of(mine), { seq, op: Op.barrier });
      const other = all.findIndex((h) => h[0] !== mine);
      if (other >= 0) {
        throw new DistributedError({
          op: 'ZmqCollective.barrier',
          expected: `every rank at barrier "${label}"`,
          received: `rank ${other} at a barrier with another label`,
          where: `rank ${this.rank}, step ${this.step}`,
          hint: 'the ranks took different code paths',
        });
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    for (const t of this.#timers) clearInterval(t);
    try {
      if (this.#router) for (const id of this.#routingIds.values()) await this.#routerSend(id, encodeJson(Op.bye, this.#tag, this.rank, {}));
      if (this.#dealer) await this.#queueSend(this.#dealer, encodeJson(Op.bye, this.#tag, this.rank, {}));
    } catch {
      // Best effort: a peer that is already gone needs no goodbye.
    }
    this.#fail(new DistributedError({ op: `ZmqCollective.${this.#operation}`, expected: 'an open collective', received: 'closed', where: `rank ${this.rank}` }), false);
    if (this.#watchdog !== undefined) clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    for (const s of this.#sockets) s.close();
    this.#plane?.close();
    for (const m of this.#mesh) m.close();
  }

  // --- calls ---

  /**
   * Runs calls one at a time in call order. An idle collective starts a call at once (no promise
   * chain); later ones wait in `#queue`. Deadlines use one watchdog timer for the collective (armed
   * at most once per `deadlineMs`, not a setTimeout/clearTimeout pair per call; see #onWatchdog).
   */
  #call<T>(operation: string, options: CallOptions | undefined, run: (seq: number) => Promise<T>): Promise<T> {
    const seq = this.#seq++;
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        if (this.#failure) {
          reject(this.#failure);
          this.#next();
          return;
        }
        const deadlineMs = options?.deadlineMs ?? this.#o.defaultDeadlineMs;
        this.#operation = operation;
        this.#report(seq, operation);
        this.#running = { operation, seq, deadlineMs, deadlineAt: performance.now() + deadlineMs };
        this.#armWatchdog(deadlineMs);
        let settled = false;
        const settle = (): boolean => {
          if (settled) return false;
          settled = true;
          this.#rejectCall = undefined;
          this.#running = undefined;
          this.#watchdog?.unref();
          this.#operation = 'idle';
          this.#report(seq, 'idle');
          return true;
        };
        // #fail rejects the running call through #rejectCall (not Promise.race with #failed, which
        // would leave one reaction per call on a promise that lives as long as the collective).
        this.#rejectCall = (e) => {
          if (settle()) {
            reject(e);
            this.#next();
          }
        };
        let p: Promise<T>;
        try {
          p = run(seq);
        } catch (e) {
          p = Promise.reject(e);
        }
        p.then(
          (v) => {
            if (settle()) {
              resolve(v);
              this.#next();
            }
          },
          (e: unknown) => {
            if (settle()) {
              reject(e);
              this.#next();
            }
          },
        );
      };
      if (this.#running === undefined && this.#queue.length === 0) start();
      else this.#queue.push(start);
    });
  }

  /** Starts the next queued call, if any (after the running one settled). */
  #next(): void {
    const start = this.#queue.shift();
    if (start) start();
  }

  /** Makes sure the watchdog fires no later than the running call's deadline. */
  #armWatchdog(deadlineMs: number): void {
    const at = this.#running!.deadlineAt;
    if (this.#watchdog !== undefined && this.#watchdogAt <= at) {
      this.#watchdog.ref(); // fires earlier, re-arms for the rest then (#onWatchdog)
      return;
    }
    if (this.#watchdog !== undefined) clearTimeout(this.#watchdog);
    this.#watchdogAt = at;
    this.#watchdog = setTimeout(this.#onWatchdog, deadlineMs);
  }

  /** The watchdog fired: fail the running call if its deadline passed, else re-arm for the rest. */
  readonly #onWatchdog = (): void => {
    this.#watchdog = undefined;
    this.#watchdogAt = Infinity;
    const call = this.#running;
    if (!call || this.#failure) return;
    const left = call.deadlineAt - performance.now();
    if (left <= 0.5) {
      this.#fail(this.#stallError(call.operation, call.seq, call.deadlineMs));
      return;
    }
    this.#watchdogAt = call.deadlineAt;
    this.#watchdog = setTimeout(this.#onWatchdog, Math.ceil(left));
  };

  /** The fp16 wire's conversions (WebAssembly SIMD), made on the first fp16 call. */
  #halfCodec(): { codec?: Float16Codec } {
    if (!this.#o.fp16) return {};
    this.#codec ??= new Float16Codec(Math.max(1024, this.#o.segmentBytes / 4));
    return { codec: this.#codec };
  }

  readonly #reduce = (dst: Float32Array, offset: number, src: Float32Array, op: CollectiveReduceOp): void => {
    this.#reducer ??= new SimdReducer(Math.max(1024, this.#o.segmentBytes / 4));
    this.#reducer.reduce(dst, offset, src, op);
  };

  /** The rank `delta` places from this one around the ring. */
  #rankAt(delta: number): number {
    return (((this.rank + delta) % this.worldSize) + this.worldSize) % this.worldSize;
  }

  /** The link to rank + stride and from rank - stride: the ring (stride 1) or a plane of the mesh. */
  #link(stride = 1): RingLink {
    const right = this.#right;
    const plane = stride === 1 ? this.#plane : this.#mesh[stride - 2]!;
    const left = this.#rankAt(-stride);
    return {
      rank: this.rank,
      worldSize: this.worldSize,
      sendReleasesPayload: plane !== undefined,
      send: (op, seq, part, dtype, payload, borrow) => this.#sendData(right, plane, op, seq, part, dtype, payload, borrow === true),
      recv: async (op, seq, part, dtype, length, into) => {
        // The inbox (or plane) rejects its waiters when the collective fails (#fail), so no race per message.
        const template = this.#template(op, dtype, left);
        const accept = into && ((h: Buffer): boolean => (template.check(h, into, seq, part, length), true));
        const [h, p] = plane ? await plane.next(into, accept) : await this.#inbox.next();
        if (p === into && into !== undefined) return p; // landed in `into`: `accept` checked this header before the payload was read
        try {
          this.#template(op, dtype, left).check(h, p, seq, part, length, `rank ${this.rank}, step ${this.step}`);
        } catch (e) {
          this.#fail(e as DistributedError);
          throw e;
        }
        return p;
      },
    };
  }

  #template(op: OpCode, dtype: DtypeCode, sender: number): HeaderTemplate {
    const key = (op << 24) | (dtype << 16) | sender;
    let t = this.#templates.get(key);
    if (!t) this.#templates.set(key, (t = new HeaderTemplate(this.#tag, op, dtype, sender)));
    return t;
  }

  #sendData(socket: zmq.Push | undefined, plane: NetDataPlane | undefined, op: OpCode, seq: number, part: number, dtype: DtypeCode, payload: ArrayBufferView, borrow: boolean): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    // ZeroMQ sends buffers over 128 bytes zero-copy (it reads them after send() resolved), the net
    // plane every Buffer (the kernel copies it, maybe later): a borrowed payload is the caller's
    // memory as is; anything else is copied (memcpy into a fresh buffer).
    const elem = dtype === Dtype.float32 ? 4 : dtype === Dtype.float16 ? 2 : 1;
    if (plane && payload.byteLength <= SMALL_FRAME_BYTES) {
      // Small messages: header and payload copied side by side into one buffer (from Node's pool
      // for messages under 4 KiB), one write. The copy costs less than a writev of two pieces.
      const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.byteLength);
      this.#template(op, dtype, this.rank).encodeInto(frame, 0, seq, part, payload.byteLength / elem);
      frame.set(new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), HEADER_BYTES);
      return plane.sendFrame(frame);
    }
    const view = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    const bytes = borrow || (!plane && view.byteLength <= 128) ? view : Buffer.from(view);
    const header = this.#template(op, dtype, this.rank).encode(seq, part, bytes.byteLength / elem);
    if (plane) return plane.send(header, bytes);
    return this.#ringSend(socket!, [header, bytes]);
  }

  /** Sends in call order without waiting for the caller: the first send goes out at once, later ones queue. */
  #ringSend(socket: zmq.Push, frames: Buffer[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#ringQueue.push({ frames, resolve, reject });
      if (!this.#ringSending) void this.#drainRing(socket);
    });
  }

  async #drainRing(socket: zmq.Push): Promise<void> {
    this.#ringSending = true;
    try {
      for (let m = this.#ringQueue.shift(); m; m = this.#ringQueue.shift()) {
        try {
          // Settles when the message is queued in ZeroMQ, or never when the peer is gone and the
          // queue is full: then #fail rejects the call (and close() the socket, which rejects this).
          await socket.send(m.frames);
          m.resolve();
        } catch (e) {
          m.reject(e as Error);
        }
      }
    } finally {
      this.#ringSending = false;
    }
  }

  #report(seq: number, operation: string): void {
    const p: Progress = { rank: this.rank, seq, operation, step: this.step, at: Date.now() };
    this.#progress[this.rank] = p;
  }

  #stallError(operation: string, seq: number, deadlineMs: number): DistributedError {
    const now = Date.now();
    const late = this.#progress.filter((p) => p.rank !== this.rank && p.seq < seq);
    const describe = (p: Progress): string =>
      `${p.rank} (host ${this.#peers[p.rank]?.host ?? '?'}, last in ${p.operation} call ${p.seq} at step ${p.step}, ${((now - p.at) / 1000).toFixed(1)} s ago)`;
    return new DistributedError({
      op: `ZmqCollective.${operation}`,
      expected: `every rank to finish call ${seq} within ${deadlineMs} ms`,
      received: late.length ? `late ranks: ${late.map(describe).join('; ')}` : `no rank behind; all in call ${seq}: ${this.#progress.map(describe).join('; ')}`,
      where: `rank ${this.rank} (host ${this.#host}), step ${this.step}`,
      hint: 'stall report: a late rank is stuck, slower than the deadline, or skipped this call',
    });
  }

  /** Marks the collective failed; pending and later calls reject with `error`. Tells rank 0 (which tells all) when `spread`. */
  #fail(error: DistributedError, spread = true): void {
    if (this.#failure) return;
    this.#failure = error;
    this.#inbox.fail(error);
    this.#plane?.fail(error);
    for (const m of this.#mesh) m.fail(error);
    this.#rejectFailed(error);
    this.#rejectCall?.(error);
    if (!spread || this.#closing) return;
    const body: AbortMessage = { rank: this.rank, host: this.#host, reason: error.message, operation: this.#operation, step: this.step };
    if (this.#dealer) void this.#queueSend(this.#dealer, encodeJson(Op.abort, this.#tag, this.rank, body)).catch(() => undefined);
    if (this.#router) this.#abortAll(body);
  }

  /** The error every rank raises when `dead` failed. */
  #deathError(dead: AbortMessage): DistributedError {
    const last = dead.operation === undefined ? '' : `; it was in ${dead.operation} at step ${dead.step}`;
    return new DistributedError({
      op: `ZmqCollective.${this.#operation}`,
      expected: 'every rank alive',
      received: `rank ${dead.rank} (host ${dead.host}) failed: ${dead.reason}${last}`,
      where: `rank ${this.rank} (host ${this.#host}), step ${this.step}, call ${this.#seq - 1}`,
      hint: 'the launcher restarts the group from the last checkpoint (--max-restarts)',
    });
  }

  // --- sockets ---

  #socketOptions(role: SocketRole): Record<string, unknown> {
    const o = this.#o;
    const base: Record<string, unknown> = {
      linger: 1000,
      heartbeatInterval: o.heartbeatIntervalMs,
      heartbeatTimeout: o.heartbeatTimeoutMs,
      heartbeatTimeToLive: o.heartbeatTimeoutMs,
      reconnectInterval: 100,
    };
    if (this.#curve) {
      Object.assign(base, role.server
        ? { curveServer: true, curveSecretKey: this.#curve.secretKey, curvePublicKey: this.#curve.publicKey }
        : { curveServerKey: this.#curve.publicKey, curvePublicKey: this.#curve.publicKey, curveSecretKey: this.#curve.secretKey });
    }
    return base;
  }

  /** ZeroMQ allows one pending send per socket: control messages queue here. */
  #queueSend(socket: zmq.Writable, frames: Buffer[]): Promise<void> {
    const p = this.#sendQueue.then(() => socket.send(frames));
    this.#sendQueue = p.catch(() => undefined);
    return p;
  }

  #routerSend(id: Buffer, frames: Buffer[]): Promise<void> {
    return this.#queueSend(this.#router!, [id, ...frames]);
  }

  #abortAll(body: AbortMessage): void {
    for (const [rank, id] of this.#routingIds) if (rank !== body.rank) void this.#routerSend(id, encodeJson(Op.abort, this.#tag, this.rank, body)).catch(() => undefined);
  }

  /** Calls `onDead` when `socket` disconnects and no goodbye from `rank` arrives within the grace. */
  #watch(socket: zmq.Socket, rank: number, onDead: (reason: string) => void): void {
    socket.events.on('disconnect', () => {
      if (this.#closing || this.#byes.has(rank)) return;
      setTimeout(() => {
        if (!this.#closing && !this.#byes.has(rank)) onDead('connection lost (process killed, crashed or frozen)');
      }, this.#o.disconnectGraceMs);
    });
  }

  // --- rendezvous ---

  async #bindInbox(): Promise<PeerInfo['addresses']> {
    const o = this.#o;
    const local = isLoopback(o.masterAddr);
    let ipc: string | undefined;
    if (o.transport !== 'tcp') {
      ipc = `ipc://${join(o.ipcDir, `omnitrain-${this.#tag}-${o.rank}-${process.pid}.sock`)}`;
      await this.#inboxSocket.bind(ipc);
    }
    await this.#inboxSocket.bind(`tcp://${local ? '127.0.0.1' : '0.0.0.0'}:*`);
    const endpoint = this.#inboxSocket.lastEndpoint ?? '';
    const port = endpoint.slice(endpoint.lastIndexOf(':') + 1);
    const host = o.advertiseAddr ?? (local ? '127.0.0.1' : this.#host);
    if (this.#usesNetPlane()) {
      this.#plane = await this.#listenPlane(1);
      // The direct all-reduce's mesh: one more plane per stride 2 .. N-1.
      if (useDirectAllReduce(o.allReduceAlgorithm, o.worldSize)) {
        for (let k = 2; k < o.worldSize; k++) this.#mesh.push(await this.#listenPlane(k));
        return { ipc, tcp: `tcp://${host}:${port}`, data: this.#plane.address, mesh: this.#mesh.map((m) => m.address) };
      }
      return { ipc, tcp: `tcp://${host}:${port}`, data: this.#plane.address };
    }
    return { ipc, tcp: `tcp://${host}:${port}` };
  }

  /** Listens for the data connection of rank + stride (the net data plane of the ring, stride 1, or of the mesh). */
  async #listenPlane(stride: number): Promise<NetDataPlane> {
    const o = this.#o;
    const right = (o.rank + stride) % o.worldSize;
    const unixPath = o.transport === 'tcp' ? undefined : join(o.ipcDir, `omnitrain-${this.#tag}-${o.rank}-${process.pid}.data${stride === 1 ? '' : stride}.sock`);
    return NetDataPlane.listen({
      rank: o.rank,
      worldSize: o.worldSize,
      stride,
      ...(unixPath ? { unixPath } : {}),
      hello: this.#template(Op.ringHello, Dtype.uint8, o.rank).encode(0, 0, 0),
      acceptHello: (frame) => (this.#template(Op.ringHello, Dtype.uint8, right).check(frame, Buffer.alloc(0), 0, 0, 0), true),
      onLost: (side, reason) => this.#dataLost(side, reason, stride),
    }).catch((e: unknown) => {
      throw new DistributedError({ op: 'ZmqCollective.connect', expected: `to listen for the data plane at ${unixPath ?? 'tcp://127.0.0.1:<ephemeral>'}`, received: String((e as Error).message), where: `rank ${o.rank}`, hint: 'a unix socket path must be under 108 bytes: set ipcDir to a short folder, or use dataPlane zmq', cause: e });
    });
  }

  /** The net data plane carries the ring when asked for, or by default for jobs without a secret (loopback only). */
  #usesNetPlane(): boolean {
    const o = this.#o;
    return o.worldSize > 1 && (o.dataPlane === 'net' || (o.dataPlane === 'auto' && o.jobSecret === undefined));
  }

  /**
   * A data connection dropped. A dead or frozen rank is named by the ZeroMQ watchers within
   * `heartbeatTimeoutMs + disconnectGraceMs`; if nothing else failed the job by then, fail it here.
   */
  #dataLost(side: 'left' | 'right', reason: string, stride = 1): void {
    if (this.#closing || this.#failure) return;
    const peer = this.#rankAt(side === 'left' ? -stride : stride);
    const timer = setTimeout(() => {
      if (this.#closing || this.#failure || this.#byes.has(peer)) return;
      this.#fail(this.#deathError({ rank: peer, host: this.#peers[peer]?.host ?? '?', reason: `data plane: ${reason}`, ...this.#lastOf(peer) }), false);
    }, this.#o.heartbeatTimeoutMs + this.#o.disconnectGraceMs);
    timer.unref();
    this.#timers.push(timer);
  }

  #addressOf(peer: PeerInfo): string {
    const { transport } = this.#o;
    const sameHost = peer.host === this.#host;
    if (peer.addresses.ipc && (transport === 'ipc' || (transport === 'auto' && sameHost))) return peer.addresses.ipc;
    if (transport === 'ipc') {
      throw new DistributedError({ op: 'ZmqCollective.connect', expected: 'every rank on this host with transport ipc', received: `rank ${peer.rank} on host ${peer.host}`, hint: 'use transport auto or tcp' });
    }
    return peer.addresses.tcp;
  }

  async #rendezvous(): Promise<void> {
    const o = this.#o;
    const addresses = await this.#bindInbox();
    this.#inbox.start();
    const me: PeerInfo = { rank: o.rank, host: this.#host, pid: process.pid, addresses };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.#rendezvousTimeout()), o.rendezvousTimeoutMs);
      void this.#failed.catch(reject);
    });
    deadline.catch(() => undefined);
    try {
      await this.#rendezvousSteps(me, deadline);
    } finally {
      clearTimeout(timer);
    }
  }

  async #rendezvousSteps(me: PeerInfo, deadline: Promise<never>): Promise<void> {
    const o = this.#o;
    const peers = o.rank === 0 ? this.#coordinate(me, deadline) : this.#join(me, deadline);
    this.#peers = await Promise.race([peers, deadline]);
    this.#startHeartbeats();
    if (o.worldSize === 1) {
      this.#operation = 'idle';
      return;
    }
    if (this.#plane) {
      const leftPeer = this.#peers[(o.rank - 1 + o.worldSize) % o.worldSize]!;
      if (!leftPeer.addresses.data) {
        throw new DistributedError({ op: 'ZmqCollective.connect', expected: `rank ${leftPeer.rank} to offer a net data plane address`, received: 'none (a rank with another dataPlane setting or version)', where: `rank ${o.rank}`, hint: 'start every rank with the same dataPlane and jobSecret settings' });
      }
      const address = leftPeer.addresses.data;
      const connected = this.#plane.connect(address).catch((e: unknown) => {
        throw new DistributedError({ op: 'ZmqCollective.connect', expected: `to connect to rank ${leftPeer.rank}'s data plane at ${address}`, received: String((e as Error).message), where: `rank ${o.rank} (host ${this.#host})`, hint: 'the left neighbour died during the rendezvous, or dataPlane zmq avoids the plain sockets', cause: e });
      });
      await Promise.race([connected, deadline]);
      // The mesh: plane k connects to rank r-k's listener of stride k (and waits for rank r+k).
      const meshConnected = this.#mesh.map(async (m, i) => {
        const k = i + 2;
        const from = this.#peers[this.#rankAt(-k)]!;
        const at = from.addresses.mesh?.[k - 2];
        if (!at) {
          throw new DistributedError({ op: 'ZmqCollective.connect', expected: `rank ${from.rank} to offer a mesh listener of stride ${k}`, received: 'none (a rank with another allReduceAlgorithm setting or version)', where: `rank ${o.rank}`, hint: 'start every rank with the same allReduceAlgorithm, dataPlane and jobSecret settings' });
        }
        await m.connect(at).catch((e: unknown) => {
          throw new DistributedError({ op: 'ZmqCollective.connect', expected: `to connect to rank ${from.rank}'s mesh listener at ${at}`, received: String((e as Error).message), where: `rank ${o.rank} (host ${this.#host})`, hint: 'the peer died during the rendezvous, or allReduceAlgorithm ring avoids the mesh', cause: e });
        });
      });
      await Promise.race([Promise.all(meshConnected), deadline]);
    } else {
      this.#right = new zmq.Push(this.#socketOptions({ server: false }));
      this.#sockets.push(this.#right);
      this.#right.connect(this.#addressOf(this.#peers[(o.rank + 1) % o.worldSize]!));
    }
    // The ring check: one message to the right, one from the left, before any collective.
    const link = this.#link();
    await Promise.race([link.send(Op.ringHello, 0, 0, Dtype.uint8, new Uint8Array(0)), deadline]);
    await Promise.race([link.recv(Op.ringHello, 0, 0, Dtype.uint8, 0), deadline]);
    this.#operation = 'idle';
  }

  #rendezvousTimeout(): DistributedError {
    const missing = this.rank === 0
      ? Array.from({ length: this.worldSize - 1 }, (_, i) => i + 1).filter((r) => !this.#routingIds.has(r))
      : [];
    return new DistributedError({
      op: 'ZmqCollective.rendezvous',
      expected: `all ${this.worldSize} ranks to join within ${this.#o.rendezvousTimeoutMs} ms`,
      received: this.rank === 0 ? `no hello from ranks ${missing.join(', ') || '(none; the ring check stalled)'}` : `no peer table from rank 0 at ${this.#o.masterAddr}:${this.#o.masterPort}, or no ring check from the left neighbour`,
      where: `rank ${this.rank} (host ${this.#host})`,
      hint: 'check MASTER_ADDR/MASTER_PORT, WORLD_SIZE, that every rank was started, and that all share OMNITRAIN_JOB_SECRET',
    });
  }

  /** Rank 0: binds the ROUTER, collects hellos, watches each worker, sends the peer table. */
  async #coordinate(me: PeerInfo, deadline: Promise<never>): Promise<PeerInfo[]> {
    const o = this.#o;
    const router = new zmq.Router(this.#socketOptions({ server: true }));
    this.#router = router;
    this.#sockets.push(router);
    try {
      await router.bind(`tcp://${o.masterAddr}:${o.masterPort}`);
    } catch (e) {
      throw new DistributedError({ op: 'ZmqCollective.rendezvous', expected: `to bind tcp://${o.masterAddr}:${o.masterPort}`, received: String((e as Error).message), where: 'rank 0', hint: 'MASTER_PORT is taken: pick a free port', cause: e });
    }
    const peers: PeerInfo[] = new Array<PeerInfo>(o.worldSize);
    peers[0] = me;
    let joined = 1;
    let allJoined!: () => void;
    const done = new Promise<void>((r) => (allJoined = r));
    if (joined === o.worldSize) allJoined();
    void (async () => {
      try {
        for await (const [id, h, p] of router) {
          if (!id || !h || !p) continue;
          let header;
          try {
            header = decodeHeader(h, p, { jobTag: this.#tag }, 'rendezvous socket');
          } catch (e) {
            void this.#queueSend(router, [id, ...encodeJson(Op.reject, this.#tag, 0, { reason: (e as Error).message })]).catch(() => undefined);
            continue;
          }
          const body = JSON.parse(p.toString()) as unknown;
          const from = header.sender;
          this.#lastHeard.set(from, Date.now());
          if (header.op === Op.hello) {
            const hello = body as HelloMessage;
            const reason =
              hello.worldSize !== o.worldSize ? `WORLD_SIZE ${hello.worldSize}, rank 0 has ${o.worldSize}`
              : hello.rank < 1 || hello.rank >= o.worldSize ? `rank ${hello.rank} outside [1, ${o.worldSize})`
              : this.#routingIds.has(hello.rank) ? `rank ${hello.rank} joined twice`
              : undefined;
            if (reason) {
              void this.#queueSend(router, [id, ...encodeJson(Op.reject, this.#tag, 0, { reason })]).catch(() => undefined);
              continue;
            }
            this.#routingIds.set(hello.rank, id);
            peers[hello.rank] = { rank: hello.rank, host: hello.host, pid: hello.pid, addresses: hello.addresses };
            this.#watchWorker(peers[hello.rank]!);
            if (++joined === o.worldSize) allJoined();
          } else if (header.op === Op.heartbeat) {
            const prog = body as Progress;
            this.#progress[from] = { ...prog, at: Date.now() };
          } else if (header.op === Op.abort) {
            const abort = body as AbortMessage;
            this.#abortAll(abort);
            this.#fail(this.#deathError(abort), false);
          } else if (header.op === Op.bye) {
            this.#byes.add(from);
          }
        }
      } catch {
        // closed
      }
    })();
    await Promise.race([done, deadline]);
    for (const [, id] of this.#routingIds) await this.#routerSend(id, encodeJson(Op.peers, this.#tag, 0, { peers }));
    return peers;
  }

  /** Rank 0: a PUSH to the worker's inbox that carries nothing but heartbeats, so its loss names the rank. */
  #watchWorker(peer: PeerInfo): void {
    const watch = new zmq.Push(this.#socketOptions({ server: false }));
    this.#sockets.push(watch);
    this.#watch(watch, peer.rank, (reason) => {
      const last = this.#progress[peer.rank]!;
      const body: AbortMessage = { rank: peer.rank, host: peer.host, reason, operation: last.operation, step: last.step };
      this.#abortAll(body);
      this.#fail(this.#deathError(body), false);
    });
    watch.connect(this.#addressOf(peer));
  }

  /** Workers: hello to rank 0, then wait for the peer table. */
  async #join(me: PeerInfo, deadline: Promise<never>): Promise<PeerInfo[]> {
    const o = this.#o;
    const dealer = new zmq.Dealer(this.#socketOptions({ server: false }));
    this.#dealer = dealer;
    this.#sockets.push(dealer);
    this.#watch(dealer, 0, (reason) =>
      this.#fail(this.#deathError({ rank: 0, host: this.#peers[0]?.host ?? o.masterAddr, reason, ...this.#lastOf(0) }), false),
    );
    dealer.connect(`tcp://${o.masterAddr}:${o.masterPort}`);
    const hello: HelloMessage = { rank: o.rank, worldSize: o.worldSize, host: me.host, pid: me.pid, addresses: me.addresses };
    await this.#queueSend(dealer, encodeJson(Op.hello, this.#tag, o.rank, hello));
    return new Promise<PeerInfo[]>((resolve, reject) => {
      deadline.catch(reject);
      void (async () => {
        try {
          for await (const [h, p] of dealer) {
            if (!h || !p) continue;
            let header;
            try {
              header = decodeHeader(h, p, { jobTag: this.#tag }, `rank ${o.rank}, from rank 0`);
            } catch (e) {
              this.#fail(e as DistributedError);
              reject(e);
              continue;
            }
            const body = JSON.parse(p.toString()) as unknown;
            this.#lastHeard.set(0, Date.now());
            if (header.op === Op.peers) resolve((body as { peers: PeerInfo[] }).peers);
            else if (header.op === Op.reject) {
              const err = new DistributedError({ op: 'ZmqCollective.rendezvous', expected: 'rank 0 to accept this worker', received: `rejected: ${(body as { reason: string }).reason}`, where: `rank ${o.rank}` });
              this.#fail(err, false);
              reject(err);
            } else if (header.op === Op.abort) {
              const err = this.#deathError(body as AbortMessage);
              this.#fail(err, false);
              reject(err);
            } else if (header.op === Op.heartbeat) {
              const table = (body as { progress: Progress[] }).progress;
              for (const p of table) if (p.rank !== o.rank) this.#progress[p.rank] = p;
            } else if (header.op === Op.bye) this.#byes.add(0);
          }
        } catch {
          // closed
        }
      })();
    });
  }

  #lastOf(rank: number): { operation: string; step: number } {
    const p = this.#progress[rank]!;
    return { operation: p.operation, step: p.step };
  }

  /** App-level heartbeats: workers report progress to rank 0, rank 0 sends everyone the table. */
  #startHeartbeats(): void {
    const o = this.#o;
    const started = Date.now();
    const timer = setInterval(() => {
      if (this.#closing || this.#failure) return;
      const now = Date.now();
      if (this.#dealer) {
        void this.#queueSend(this.#dealer, encodeJson(Op.heartbeat, this.#tag, this.rank, this.#progress[this.rank])).catch(() => undefined);
        if (now - (this.#lastHeard.get(0) ?? started) > o.appHeartbeatTimeoutMs) {
          this.#fail(this.#deathError({ rank: 0, host: this.#peers[0]?.host ?? o.masterAddr, reason: `no heartbeat for ${o.appHeartbeatTimeoutMs} ms`, ...this.#lastOf(0) }), false);
        }
      }
      if (this.#router) {
        const table = encodeJson(Op.heartbeat, this.#tag, 0, { progress: this.#progress });
        for (const id of this.#routingIds.values()) void this.#routerSend(id, table).catch(() => undefined);
        for (const rank of this.#routingIds.keys()) {
          if (!this.#byes.has(rank) && now - (this.#lastHeard.get(rank) ?? started) > o.appHeartbeatTimeoutMs) {
            const body: AbortMessage = { rank, host: this.#peers[rank]?.host ?? '?', reason: `no heartbeat for ${o.appHeartbeatTimeoutMs} ms`, ...this.#lastOf(rank) };
            this.#abortAll(body);
            this.#fail(this.#deathError(body), false);
          }
        }
      }
    }, o.heartbeatIntervalMs);
    timer.unref();
    this.#timers.push(timer);
  }
}
