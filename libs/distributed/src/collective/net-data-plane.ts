import { rmSync } from 'node:fs';
import net from 'node:net';
import { DistributedError } from '@omnitrain/core';
import { HEADER_BYTES } from '../protocol/protocol.js';
import type { Frames } from './inbox.js';

/** Options of {@link NetDataPlane.listen}. */
export interface NetDataPlaneOptions {
  /** This rank and the world size (the right neighbour, rank + stride, is the only peer accepted). */
  readonly rank: number;
  readonly worldSize: number;
  /** Distance of the neighbours: this plane sends to rank + stride and receives from rank - stride (mod N). Default 1, the ring; the mesh of the direct all-reduce has one plane per stride 1 .. N-1. */
  readonly stride?: number;
  /** Listen on this unix domain socket path (one host); without it on tcp://127.0.0.1:<ephemeral>. */
  readonly unixPath?: string;
  /** The 32-byte hello this rank sends its left neighbour when it connects (job tag, version, sender). */
  readonly hello: Buffer;
  /** Checks the hello of a connecting peer (throws or returns false for anything but the right neighbour). */
  readonly acceptHello: (frame: Buffer) => boolean;
  /** Called once when a data connection drops while the plane is open ('left' receives, 'right' sends). */
  readonly onLost: (side: 'left' | 'right', reason: string) => void;
}

/** A posted receive: where the payload of the next message may land and what its header must be. */
interface Receive {
  readonly into: Uint8Array | undefined;
  readonly accept: ((header: Buffer) => boolean) | undefined;
  resolve(frames: Frames): void;
  reject(e: Error): void;
}

const EMPTY = Buffer.alloc(0);
/** The largest payload a header may announce (a corrupt length must not allocate gigabytes). */
const MAX_PAYLOAD_BYTES = 2 ** 30;
const ELEMENT_BYTES = [1, 4, 2, 1];

/**
 * The bulk data plane of the ring on plain Node sockets (a unix domain socket on one host, loopback
 * TCP otherwise): every rank listens, connects to its left neighbour and receives on that connection,
 * and sends to its right neighbour on the connection the right neighbour opened. Messages are the
 * same 32-byte header + payload as the ZeroMQ frames (PROTOCOL.md), written with one `writev`.
 *
 * Receiving reads straight from the kernel into memory the ring algorithm posted in advance
 * ({@link NetDataPlane.next} with `into`: the all-reduce's scratch or the caller's array), so a
 * segment costs one kernel copy and no allocation; a message nobody posted a buffer for lands in a
 * fresh one. Sends of Buffers are zero-copy until the kernel took them (Node keeps the reference).
 * Rendezvous, control, heartbeats and failure detection stay on ZeroMQ (zmq-collective.ts).
 *
 * @example
 * const plane = await NetDataPlane.listen({ rank, worldSize, hello, acceptHello, onLost });
 * await plane.connect(leftAddress, deadline);
 * await plane.send(header, payload);
 * const [h, p] = await plane.next(into, accept);
 */
export class NetDataPlane {
  readonly address: string;
  readonly #o: NetDataPlaneOptions;
  readonly #server: net.Server;
  #right: net.Socket | undefined;
  #rightReady!: Promise<void>;
  #left: net.Socket | undefined;
  #closed = false;
  #failure: Error | undefined;
  // receive state: a header, then its payload, read straight into `#target`
  readonly #header = Buffer.alloc(HEADER_BYTES);
  #headerGot = 0;
  #inPayload = false;
  #frame: Buffer = EMPTY;
  #target: Uint8Array = EMPTY;
  #got = 0;
  /** The receive the message being read belongs to (undefined: nobody asked for it yet). */
  #current: Receive | undefined;
  readonly #posted: Receive[] = [];
  readonly #ready: Frames[] = [];

  private constructor(o: NetDataPlaneOptions, server: net.Server, address: string) {
    this.#o = o;
    this.#server = server;
    this.address = address;
  }

  /** Listens for the right neighbour's connection; resolves with the plane (its `address` goes into the hello). */
  static async listen(o: NetDataPlaneOptions): Promise<NetDataPlane> {
    const server = net.createServer();
    if (o.unixPath) rmSync(o.unixPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.unixPath ? { path: o.unixPath } : { host: '127.0.0.1', port: 0 }, () => resolve());
    });
    const a = server.address();
    const address = o.unixPath ? `unix:${o.unixPath}` : `tcp://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    const plane = new NetDataPlane(o, server, address);
    plane.#rightReady = new Promise<void>((resolve) => {
      server.on('connection', (sock) => plane.#accept(sock, resolve));
    });
    plane.#rightReady.catch(() => undefined);
    return plane;
  }

  /** Connects to the left neighbour's plane at `address` and resolves once the right neighbour connected too. */
  async connect(address: string): Promise<void> {
    const path = address.startsWith('unix:') ? address.slice(5) : undefined;
    const m = /^tcp:\/\/(.+):(\d+)$/.exec(address);
    if (!path && !m) {
      throw new DistributedError({ op: 'ZmqCollective.connect', expected: 'a data plane address unix:<path> or tcp://<host>:<port>', received: address, where: `rank ${this.#o.rank}` });
    }
    const onread = { buffer: () => this.#nextBuffer(), callback: (n: number): boolean => (this.#onRead(n), true) };
    const sock = path ? net.connect({ path, onread }) : net.connect({ host: m![1]!, port: Number(m![2]), onread });
    this.#left = sock;
    sock.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', () => resolve());
      sock.once('error', reject);
    });
    sock.on('error', () => undefined); // 'close' follows and reports the loss
    sock.on('close', () => this.#lost('left', 'the connection from the left neighbour closed'));
    sock.write(this.#o.hello);
    await this.#rightReady;
  }

  /**
   * Writes one message (header + payload) to the right neighbour. The payload is not copied: the
   * caller keeps it unchanged until the promise resolves (then the kernel has it). A broken
   * connection leaves the promise pending; the collective's failure detection rejects the call.
   */
  send(header: Buffer, payload: Uint8Array): Promise<void> {
    const sock = this.#right;
    if (this.#failure) return Promise.reject(this.#failure);
    if (!sock) return Promise.reject(new Error('NetDataPlane.send before the right neighbour connected'));
    return new Promise<void>((resolve) => {
      sock.cork();
      sock.write(header);
      if (payload.byteLength > 0) sock.write(payload, (e) => (e ? undefined : resolve()));
      else sock.write(EMPTY, (e) => (e ? undefined : resolve()));
      sock.uncork();
    });
  }

  /**
   * Writes one message that is already a single buffer (32-byte header, then the payload): one
   * `write`, no cork and no `writev` (the small-message path; see `SMALL_FRAME_BYTES` in
   * zmq-collective.ts). Same contract as {@link NetDataPlane.send}: `frame` stays unchanged until the
   * promise resolves.
   */
  sendFrame(frame: Buffer): Promise<void> {
    const sock = this.#right;
    if (this.#failure) return Promise.reject(this.#failure);
    if (!sock) return Promise.reject(new Error('NetDataPlane.sendFrame before the right neighbour connected'));
    return new Promise<void>((resolve) => {
      sock.write(frame, (e) => (e ? undefined : resolve()));
    });
  }

  /**
   * The next message from the left neighbour. `into`: where its payload should land when the header
   * passes `accept` and the size matches (then the returned payload is `into` itself); otherwise
   * the payload is a fresh buffer. Calls made before the messages arrive get them in call order.
   */
  next(into?: Uint8Array, accept?: (header: Buffer) => boolean): Promise<Frames> {
    if (this.#failure) return Promise.reject(this.#failure);
    const ready = this.#ready.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise<Frames>((resolve, reject) => {
      const r: Receive = { into, accept, resolve, reject };
      // A message already being read that nobody asked for is this caller's (it has a fresh buffer).
      if (this.#inPayload && this.#current === undefined) this.#current = r;
      else this.#posted.push(r);
    });
  }

  /** Rejects every waiting and later {@link NetDataPlane.next} with `error` (the first failure wins). */
  fail(error: Error): void {
    this.#failure ??= error;
    const cur = this.#current;
    this.#current = undefined;
    cur?.reject(this.#failure);
    for (const r of this.#posted.splice(0)) r.reject(this.#failure);
  }

  /** Closes both connections and the listener (removing the unix socket file). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#left?.destroy();
    this.#right?.destroy();
    this.#server.close();
    if (this.#o.unixPath) rmSync(this.#o.unixPath, { force: true });
  }

  #lost(side: 'left' | 'right', reason: string): void {
    if (!this.#closed) this.#o.onLost(side, reason);
  }

  /** A connection to the listener: the right neighbour after a valid hello, anything else is dropped. */
  #accept(sock: net.Socket, ready: () => void): void {
    if (this.#right || this.#closed) {
      sock.destroy();
      return;
    }
    let hello = EMPTY;
    const timer = setTimeout(() => sock.destroy(), 10_000);
    timer.unref();
    sock.on('error', () => undefined);
    const onData = (d: Buffer): void => {
      hello = Buffer.concat([hello, d]);
      if (hello.byteLength < HEADER_BYTES) return;
      sock.off('data', onData);
      clearTimeout(timer);
      let ok = false;
      try {
        ok = hello.byteLength === HEADER_BYTES && this.#o.acceptHello(hello);
      } catch {
        ok = false;
      }
      if (!ok || this.#right || this.#closed) {
        sock.destroy();
        return;
      }
      sock.on('data', () => undefined); // nothing else comes this way; reading notices the peer closing
      sock.setNoDelay(true);
      this.#right = sock;
      sock.on('close', () => this.#lost('right', 'the connection to the right neighbour closed'));
      ready();
    };
    sock.on('data', onData);
  }

  // --- receiving: Node calls #nextBuffer for the memory of each read, then #onRead with its size ---

  #nextBuffer(): Uint8Array {
    return this.#inPayload ? this.#target.subarray(this.#got) : this.#header.subarray(this.#headerGot);
  }

  #onRead(n: number): void {
    if (!this.#inPayload) {
      this.#headerGot += n;
      if (this.#headerGot < HEADER_BYTES) return;
      this.#headerGot = 0;
      this.#startPayload();
    } else {
      this.#got += n;
      if (this.#got >= this.#target.byteLength) this.#endPayload();
    }
  }

  #startPayload(): void {
    const frame = Buffer.allocUnsafe(HEADER_BYTES);
    this.#header.copy(frame);
    const bytes = frame.readUInt32LE(24) * (ELEMENT_BYTES[frame[7]!] ?? 1);
    if (bytes > MAX_PAYLOAD_BYTES) {
      this.fail(new DistributedError({ op: 'ZmqCollective.recv', expected: `a payload of at most ${MAX_PAYLOAD_BYTES} bytes`, received: `a header announcing ${bytes} bytes`, where: `rank ${this.#o.rank}, from rank ${(((this.#o.rank - (this.#o.stride ?? 1)) % this.#o.worldSize) + this.#o.worldSize) % this.#o.worldSize}` }));
      this.#left?.destroy();
      return;
    }
    const r = this.#posted.shift();
    let accepted = false;
    if (r?.into && r.into.byteLength === bytes) {
      try {
        accepted = r.accept ? r.accept(frame) : true;
      } catch {
        accepted = false;
      }
    }
    this.#frame = frame;
    this.#current = r;
    this.#target = accepted ? r!.into! : bytes > 0 ? Buffer.allocUnsafe(bytes) : EMPTY;
    this.#got = 0;
    this.#inPayload = true;
    if (bytes === 0) this.#endPayload();
  }

  #endPayload(): void {
    const frames: Frames = [this.#frame, this.#target as Buffer];
    const r = this.#current;
    this.#current = undefined;
    this.#inPayload = false;
    this.#target = EMPTY;
    if (r) r.resolve(frames);
    else this.#ready.push(frames);
  }
}
