import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dtype, HeaderTemplate, NetDataPlane, Op, jobTag } from '@omnitrain/distributed';

const rand = (k: number): number => Math.floor(Math.random() * k);

/** Two ranks' planes (N = 2: each is the other's left and right neighbour), over unix sockets or loopback TCP. */
async function pair(kind: 'unix' | 'tcp', tag: string, dir: string): Promise<NetDataPlane[]> {
  const lost: string[] = [];
  const planes = await Promise.all([0, 1].map((rank) =>
    NetDataPlane.listen({
      rank,
      worldSize: 2,
      ...(kind === 'unix' ? { unixPath: join(dir, `p${rank}.sock`) } : {}),
      hello: new HeaderTemplate(tag, Op.ringHello, Dtype.uint8, rank).encode(0, 0, 0),
      acceptHello: (f) => (new HeaderTemplate(tag, Op.ringHello, Dtype.uint8, 1 - rank).check(f, new Uint8Array(0), 0, 0, 0), true),
      onLost: (side) => lost.push(`${rank} ${side}`),
    })));
  return planes;
}

describe('NetDataPlane', () => {
  for (const kind of ['unix', 'tcp'] as const) {
    it(`${kind}: delivers messages in order, into posted memory when the header and size match, else into fresh buffers; refuses a stranger`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'net-plane-'));
      const tag = jobTag(`plane-${Math.random()}`);
      const [a, b] = await pair(kind, tag, dir);
      try {
        // A stranger with another job's hello connects to b first: it is dropped, and a's hello still gets through.
        const addr = b!.address;
        const stranger = addr.startsWith('unix:') ? net.connect({ path: addr.slice(5) }) : net.connect({ host: '127.0.0.1', port: Number(addr.split(':').pop()) });
        stranger.on('error', () => undefined);
        const strangerClosed = new Promise<void>((r) => stranger.on('close', () => r()));
        stranger.write(new HeaderTemplate(jobTag('another job'), Op.ringHello, Dtype.uint8, 0).encode(0, 0, 0));
        await strangerClosed;
        await Promise.all([a!.connect(b!.address), b!.connect(a!.address)]);

        const send = new HeaderTemplate(tag, Op.allReduce, Dtype.float32, 0);
        const expect1 = new HeaderTemplate(tag, Op.allReduce, Dtype.float32, 0);
        const sizes = Array.from({ length: 6 + rand(6) }, () => rand(3) === 0 ? 0 : 1 + rand(300_000));
        const payloads = sizes.map((n) => Float32Array.from({ length: n }, () => Math.random()));
        // Post receives for the first half (into memory), then send everything, then take the rest.
        const half = sizes.length >> 1;
        const targets = sizes.map((n) => new Float32Array(n));
        const early = sizes.slice(0, half).map((n, k) => {
          const into = new Uint8Array(targets[k]!.buffer);
          return b!.next(into, (h) => (expect1.check(h, into, 7, k, n), true));
        });
        await Promise.all(payloads.map((p, k) => a!.send(send.encode(7, k, p.length), new Uint8Array(p.buffer))));
        const got = [...(await Promise.all(early)), ...(await Promise.all(sizes.slice(half).map(() => b!.next())))];
        for (let k = 0; k < sizes.length; k++) {
          const [h, p] = got[k]!;
          expect(h.readUInt32LE(20)).toBe(k);
          expect(Buffer.from(p).equals(Buffer.from(payloads[k]!.buffer))).toBe(true);
          if (k < half && sizes[k]! > 0) expect(p.buffer).toBe(targets[k]!.buffer); // landed in place
        }
        // sendFrame: header and payload in one buffer, one write; lands in posted memory like send's.
        const small = Float32Array.from({ length: rand(2000) }, () => Math.random());
        const frame = Buffer.allocUnsafe(32 + small.byteLength);
        send.encodeInto(frame, 0, 7, sizes.length, small.length);
        frame.set(new Uint8Array(small.buffer), 32);
        const smallInto = new Uint8Array(small.byteLength);
        const smallGot = b!.next(smallInto, (h) => (expect1.check(h, smallInto, 7, sizes.length, small.length), true));
        await a!.sendFrame(frame);
        const [sh, sp] = await smallGot;
        expect(sh.readUInt32LE(20)).toBe(sizes.length);
        expect(Buffer.from(sp).equals(Buffer.from(small.buffer))).toBe(true);
        if (small.length > 0) expect(sp).toBe(smallInto);
        // A posted receive whose header does not match gets a fresh buffer (the caller's memory is untouched).
        const into = new Uint8Array(16);
        const wrong = b!.next(into, () => false);
        await a!.send(send.encode(8, 0, 4), new Uint8Array(Float32Array.of(1, 2, 3, 4).buffer));
        const [, p] = await wrong;
        expect(p.buffer).not.toBe(into.buffer);
        expect(into.every((x) => x === 0)).toBe(true);
      } finally {
        a!.close();
        b!.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
