// The ring algorithms on an in-process ring of queues (no sockets): fp16 wire format and segment cuts.
import { describe, expect, it } from 'vitest';
import { encodeHeader, decodeHeader, jobTag, fromFloat16, toFloat16, ringAllReduce, ringAllReduceScratchElements, ringBroadcast, PROTOCOL_VERSION } from '@omnitrain/distributed';
import type { RingLink } from '@omnitrain/distributed';

const rand = (k: number): number => Math.floor(Math.random() * k);
const tag = jobTag('ring-test');

/** N links whose messages travel through queues, with the real header encoding and checks. */
function ring(n: number): RingLink[] {
  const queues: Array<Array<[Buffer, Uint8Array]>> = Array.from({ length: n }, () => []);
  const waiters: Array<(() => void) | undefined> = Array.from({ length: n }, () => undefined);
  const chains: Array<Promise<unknown>> = Array.from({ length: n }, () => Promise.resolve());
  return Array.from({ length: n }, (_, rank) => ({
    rank,
    worldSize: n,
    async send(op, seq, part, dtype, payload) {
      const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength).slice();
      const elem = dtype === 1 ? 4 : dtype === 2 ? 2 : 1;
      const right = (rank + 1) % n;
      queues[right]!.push([encodeHeader({ version: PROTOCOL_VERSION, op, dtype, jobTag: tag, seq, part, length: bytes.length / elem, sender: rank }), bytes]);
      waiters[right]?.();
    },
    recv(op, seq, part, dtype, length) {
      // Calls may come ahead of the messages (a call posts all its receives): answer them in call order.
      const p = chains[rank]!.then(async () => {
        while (queues[rank]!.length === 0) await new Promise<void>((r) => (waiters[rank] = r));
        const [h, p] = queues[rank]!.shift()!;
        decodeHeader(h, p, { jobTag: tag, op, seq, part, dtype, length });
        return p;
      });
      chains[rank] = p.catch(() => undefined);
      return p;
    },
  }));
}

describe('ringAllReduce', () => {
  it('fp16 on the wire: every rank gets identical bits within fp16 accuracy of the float64 sum', async () => {
    const n = 2 + rand(3);
    const size = 1 + rand(5000);
    const inputs = Array.from({ length: n }, () => Float32Array.from({ length: size }, () => Math.random() * 2 - 1));
    const want = Array.from({ length: size }, (_, i) => inputs.reduce((s, a) => s + a[i]!, 0));
    const segmentElements = 1 + rand(700);
    const outs = await Promise.all(ring(n).map((l, r) => ringAllReduce(l, Float32Array.from(inputs[r]!), 'sum', { seq: 0, segmentElements, fp16: true })));
    for (const o of outs) expect(Buffer.from(o.buffer).equals(Buffer.from(outs[0]!.buffer))).toBe(true);
    // Each of the N-1 partial sums and the result is rounded to fp16 once: error <= N ulps of fp16 at |x| <= N.
    for (let i = 0; i < size; i++) expect(Math.abs(outs[0]![i]! - want[i]!)).toBeLessThan(n * n * 2 ** -11);
    // The result is exactly representable in fp16 (the owner rounded before sharing).
    expect(fromFloat16(toFloat16(outs[0]!))).toEqual(outs[0]);
  });

  it('segment cuts do not change float32 results: any segment size gives the same bits', async () => {
    const n = 3;
    const size = 10 + rand(3000);
    const inputs = Array.from({ length: n }, () => Float32Array.from({ length: size }, () => Math.random() * 2 - 1));
    const run = async (seg: number) => (await Promise.all(ring(n).map((l, r) => ringAllReduce(l, Float32Array.from(inputs[r]!), 'mean', { seq: 5, segmentElements: seg, fp16: false, smallMessageBytes: 0 }))))[0]!;
    const a = await run(1 + rand(50));
    const b = await run(100_000);
    expect(a).toEqual(b);
    for (let i = 0; i < size; i++) expect(Math.abs(a[i]! - inputs.reduce((s, x) => s + x[i]!, 0) / n)).toBeLessThan(1e-6);
  });
});

/** Like {@link ring}, but a borrowed payload is read only when the receiver takes it (ZeroMQ's zero-copy send). */
function lazyRing(n: number): RingLink[] {
  const queues: Array<Array<[Buffer, () => Uint8Array]>> = Array.from({ length: n }, () => []);
  const waiters: Array<(() => void) | undefined> = Array.from({ length: n }, () => undefined);
  const chains: Array<Promise<unknown>> = Array.from({ length: n }, () => Promise.resolve());
  return Array.from({ length: n }, (_, rank) => ({
    rank,
    worldSize: n,
    async send(op, seq, part, dtype, payload, borrow) {
      const view = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
      const copy = borrow ? undefined : view.slice();
      const elem = dtype === 1 ? 4 : dtype === 2 ? 2 : 1;
      const right = (rank + 1) % n;
      queues[right]!.push([encodeHeader({ version: PROTOCOL_VERSION, op, dtype, jobTag: tag, seq, part, length: view.length / elem, sender: rank }), () => copy ?? view.slice()]);
      waiters[right]?.();
    },
    recv(op, seq, part, dtype, length) {
      const out = chains[rank]!.then(async () => {
        // Yield a few times so senders run ahead and scribble on what they lent before it is read.
        for (let k = rand(4); k > 0; k--) await new Promise<void>((r) => setImmediate(r));
        while (queues[rank]!.length === 0) await new Promise<void>((r) => (waiters[rank] = r));
        const [h, take] = queues[rank]!.shift()!;
        const p = take();
        decodeHeader(h, p, { jobTag: tag, op, seq, part, dtype, length });
        return p;
      });
      chains[rank] = out.catch(() => undefined);
      return out;
    },
  }));
}

describe('ringAllReduce zero-copy', () => {
  it('borrowed segments and alternating staging arenas are never written before the neighbour reads them', async () => {
    const n = 2 + rand(3);
    const calls = 4;
    const size = n + rand(4000);
    const segmentElements = 1 + rand(300);
    const inputs = Array.from({ length: calls }, () => Array.from({ length: n }, () => Float32Array.from({ length: size }, () => Math.random() * 2 - 1)));
    const links = lazyRing(n);
    const results = await Promise.all(links.map(async (link, r) => {
      const staging = [new Float32Array(size), new Float32Array(size)];
      const out: Float32Array[] = [];
      for (let k = 0; k < calls; k++) {
        const data = Float32Array.from(inputs[k]![r]!);
        await ringAllReduce(link, data, 'sum', { seq: k, segmentElements, fp16: false, staging: staging[k % 2]!, smallMessageBytes: 0 });
        out.push(data.slice());
        data.fill(Number.NaN); // the caller reuses its array at once
      }
      return out;
    }));
    for (let k = 0; k < calls; k++) {
      for (let i = 0; i < size; i++) {
        const want = inputs[k]!.reduce((s, a) => s + a[i]!, 0);
        for (let r = 0; r < n; r++) expect(Math.abs(results[r]![k]![i]! - want)).toBeLessThan(1e-5);
      }
    }
  });
});

describe('ringBroadcast', () => {
  it('copies the root\'s bytes to every rank in segments', async () => {
    const n = 2 + rand(3);
    const root = rand(n);
    const size = rand(10_000);
    const bufs = Array.from({ length: n }, () => Uint8Array.from({ length: size }, () => rand(256)));
    const want = bufs[root]!.slice();
    const segmentBytes = 1 + rand(999);
    await Promise.all(ring(n).map((l, r) => ringBroadcast(l, bufs[r]!, root, { seq: 1, segmentBytes })));
    for (const b of bufs) expect(b).toEqual(want);
  });
});

/** Like {@link ring}, but a link that receives into the memory the caller posts and whose resolved sends are done (the net data plane's contract). */
function intoRing(n: number): { links: RingLink[]; landedInPlace: () => number } {
  const base = ring(n);
  let inPlace = 0;
  const links = base.map((l): RingLink => ({
    rank: l.rank,
    worldSize: l.worldSize,
    sendReleasesPayload: true,
    send: (op, seq, part, dtype, payload) => l.send(op, seq, part, dtype, payload), // copies at once, like the kernel
    async recv(op, seq, part, dtype, length, into) {
      const p = await l.recv(op, seq, part, dtype, length);
      if (!into || into.byteLength !== p.byteLength) return p;
      into.set(p);
      inPlace++;
      return into;
    },
  }));
  return { links, landedInPlace: () => inPlace };
}

describe('ringAllReduce receiving into posted memory', () => {
  it('gives the same bits as the plain ring, with the all-gather landing in the caller\'s array and the reduce-scatter in the scratch', async () => {
    const n = 2 + rand(3);
    const size = n + rand(5000);
    const seg = 1 + rand(400);
    const op = (['sum', 'mean', 'max', 'min'] as const)[rand(4)]!;
    const inputs = Array.from({ length: n }, () => Float32Array.from({ length: size }, () => Math.random() * 2 - 1));
    const plain = await Promise.all(ring(n).map((l, r) => ringAllReduce(l, Float32Array.from(inputs[r]!), op, { seq: 3, segmentElements: seg, fp16: false, smallMessageBytes: 0 })));
    const { links, landedInPlace } = intoRing(n);
    const posted = await Promise.all(links.map((l, r) => ringAllReduce(l, Float32Array.from(inputs[r]!), op, { seq: 3, segmentElements: seg, fp16: false, smallMessageBytes: 0, scratch: new Float32Array(size) })));
    for (let r = 0; r < n; r++) expect(Buffer.from(posted[r]!.buffer).equals(Buffer.from(plain[0]!.buffer))).toBe(true);
    expect(landedInPlace()).toBeGreaterThanOrEqual(2 * (n - 1) * n); // every message of every rank (at least one segment per chunk)
  });
});

describe('ringAllReduce small-message path', () => {
  it('every rank ends with the rank-order float32 combination, bit for bit, for every op', async () => {
    const n = 2 + rand(3);
    const size = 1 + rand(16_384); // up to 64 KB: the default small path
    const inputs = Array.from({ length: n }, () => Float32Array.from({ length: size }, () => (Math.random() * 2 - 1) * 10 ** rand(4)));
    for (const op of ['sum', 'mean', 'max', 'min'] as const) {
      const outs = await Promise.all(ring(n).map((l, r) => ringAllReduce(l, Float32Array.from(inputs[r]!), op, { seq: 9, segmentElements: 1 + rand(100), fp16: false })));
      const want = new Float32Array(size);
      for (let i = 0; i < size; i++) {
        let acc = inputs[0]![i]!;
        for (let k = 1; k < n; k++) {
          const v = inputs[k]![i]!;
          acc = op === 'max' ? Math.max(acc, v) : op === 'min' ? Math.min(acc, v) : Math.fround(acc + v);
        }
        want[i] = op === 'mean' ? acc / n : acc;
      }
      for (const o of outs) expect(o).toEqual(want);
    }
  });
});

describe('ringAllReduce small-message path receiving into the scratch', () => {
  it('gives the same bits as without a scratch, every message lands in the scratch, and a reused scratch stays correct', async () => {
    const n = 2 + rand(3);
    const { links, landedInPlace } = intoRing(n);
    const scratches = links.map((l) => new Float32Array(ringAllReduceScratchElements(16_384, l.worldSize, false)));
    let messages = 0;
    for (let call = 0; call < 3; call++) {
      const size = 1 + rand(16_384);
      expect(ringAllReduceScratchElements(size, n, false)).toBe((n - 1) * size);
      const op = (['sum', 'mean', 'max', 'min'] as const)[rand(4)]!;
      const inputs = Array.from({ length: n }, () => Float32Array.from({ length: size }, () => (Math.random() * 2 - 1) * 10 ** rand(4)));
      const plain = await Promise.all(ring(n).map((l, r) => ringAllReduce(l, Float32Array.from(inputs[r]!), op, { seq: call, segmentElements: 64, fp16: false })));
      const posted = await Promise.all(links.map((l, r) => ringAllReduce(l, Float32Array.from(inputs[r]!), op, { seq: call, segmentElements: 64, fp16: false, scratch: scratches[r]! })));
      for (let r = 0; r < n; r++) expect(Buffer.from(posted[r]!.buffer).equals(Buffer.from(plain[r]!.buffer))).toBe(true);
      messages += n * (n - 1);
      expect(landedInPlace()).toBe(messages);
    }
    // Larger arrays take the ring and need one array of scratch; fp16 receives into nothing.
    expect(ringAllReduceScratchElements(16_385, n, false)).toBe(16_385);
    expect(ringAllReduceScratchElements(100, n, true)).toBe(0);
  });
});
