// The ring algorithms on an in-process ring of queues (no sockets): fp16 wire format and segment cuts.
import { describe, expect, it } from 'vitest';
import { encodeHeader, decodeHeader, jobTag, fromFloat16, toFloat16, Float16Codec, JS_HALF_CODEC, ringAllReduce, ringAllReduceScratchElements, ringBroadcast, ringReduceScatter, reduceScatterOffsets, directAllReduce, directAllReduceScratchElements, useDirectAllReduce, DIRECT_ALL_REDUCE_MIN_BYTES, PROTOCOL_VERSION } from '@omnitrain/distributed';
import type { RingLink } from '@omnitrain/distributed';

const rand = (k: number): number => Math.floor(Math.random() * k);
const tag = jobTag('ring-test');

/** N links whose messages travel through queues, with the real header encoding and checks (rank r sends to r + stride). */
function ring(n: number, stride = 1): RingLink[] {
  const queues: Array<Array<[Buffer, Uint8Array]>> = Array.from({ length: n }, () => []);
  const waiters: Array<(() => void) | undefined> = Array.from({ length: n }, () => undefined);
  const chains: Array<Promise<unknown>> = Array.from({ length: n }, () => Promise.resolve());
  return Array.from({ length: n }, (_, rank) => ({
    rank,
    worldSize: n,
    async send(op, seq, part, dtype, payload) {
      const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength).slice();
      const elem = dtype === 1 ? 4 : dtype === 2 ? 2 : 1;
      const right = (rank + stride) % n;
      queues[right]!.push([encodeHeader({ version: PROTOCOL_VERSION, op, dtype, jobTag: tag, seq, part, length: bytes.length / elem, sender: rank }), bytes]);
      waiters[right]?.();
    },
    recv(op, seq, part, dtype, length) {
      // Calls may come ahead of the messages (a call posts all its receives): answer them in call order.
      const p = chains[rank]!.then(async () => {
        while (queues[rank]!.length === 0) await new Promise<void>((r) => (waiters[rank] = r));
        const [h, p] = queues[rank]!.shift()!;
        decodeHeader(h, p, { jobTag: tag, op, seq, part, dtype, length, sender: (rank - stride + n) % n });
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

  it('fp16 with the SIMD codec gives the same bits as with the JavaScript conversions, for the all-reduce and the reduce-scatter', async () => {
    const n = 2 + rand(3);
    const size = 300 + rand(20_000);
    const inputs = Array.from({ length: n }, () => Float32Array.from({ length: size }, () => (Math.random() * 2 - 1) * 10 ** (rand(7) - 3)));
    const segmentElements = 200 + rand(5000);
    const op = rand(2) ? 'sum' : 'mean';
    const codecs = Array.from({ length: n }, () => new Float16Codec(16 + rand(4000)));
    const run = (codec: (r: number) => Parameters<typeof ringAllReduce>[3]['codec']) =>
      Promise.all(ring(n).map((l, r) => ringAllReduce(l, Float32Array.from(inputs[r]!), op, { seq: 1, segmentElements, fp16: true, codec: codec(r) })));
    const [js, simd] = [await run(() => JS_HALF_CODEC), await run((r) => codecs[r])];
    for (let r = 0; r < n; r++) expect(Buffer.from(simd[r]!.buffer).equals(Buffer.from(js[r]!.buffer))).toBe(true);
    const offsets = reduceScatterOffsets(size, n);
    const scatter = (codec: (r: number) => Parameters<typeof ringReduceScatter>[3]['codec']) =>
      Promise.all(ring(n).map((l, r) => ringReduceScatter(l, Float32Array.from(inputs[r]!), op, { seq: 2, segmentElements, fp16: true, offsets, codec: codec(r) })));
    const [jsMine, simdMine] = [await scatter(() => JS_HALF_CODEC), await scatter((r) => codecs[r])];
    for (let r = 0; r < n; r++) expect(Buffer.from(simdMine[r]!.slice().buffer).equals(Buffer.from(jsMine[r]!.slice().buffer))).toBe(true);
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
function intoRing(n: number, stride = 1): { links: RingLink[]; landedInPlace: () => number } {
  const base = ring(n, stride);
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

/** Random counts for `n` ranks summing to `size`, each 0 with probability 1/3. */
function randomCounts(n: number, size: number): number[] {
  const cuts = Array.from({ length: n - 1 }, () => (rand(3) === 0 ? 0 : rand(size + 1))).sort((a, b) => a - b);
  return [...cuts, size].map((c, k) => c - (k === 0 ? 0 : cuts[k - 1]!));
}

describe('ringReduceScatter', () => {
  it('each rank gets its chunk of the float64 sum, uneven and empty chunks included, on every kind of link', async () => {
    for (const kind of ['ring', 'lazy', 'into'] as const) {
      const n = 1 + rand(4);
      const size = rand(4000);
      const counts = rand(2) === 0 ? randomCounts(n, size) : undefined;
      const offsets = reduceScatterOffsets(size, n, counts);
      const op = (['sum', 'mean', 'max', 'min'] as const)[rand(4)]!;
      const inputs = Array.from({ length: n }, () => Float32Array.from({ length: size }, () => Math.random() * 2 - 1));
      const links = kind === 'ring' ? ring(n) : kind === 'lazy' ? lazyRing(n) : intoRing(n).links;
      const segmentElements = 1 + rand(500);
      const datas = inputs.map((a) => Float32Array.from(a));
      const outs = await Promise.all(links.map(async (l, r) => {
        const out = await ringReduceScatter(l, datas[r]!, op, { seq: 2, segmentElements, fp16: false, offsets, ...(kind === 'into' ? { scratch: new Float32Array(size) } : {}) });
        const copy = out.slice();
        datas[r]!.fill(Number.NaN); // the caller reuses its array at once: nothing still in flight may read it
        return { out, copy };
      }));
      for (let r = 0; r < n; r++) {
        const { out, copy } = outs[r]!;
        expect(out.buffer).toBe(datas[r]!.buffer); // a view of the caller's array
        expect(out.byteOffset).toBe(offsets[r]! * 4);
        expect(copy.length).toBe(offsets[r + 1]! - offsets[r]!);
        for (let i = 0; i < copy.length; i++) {
          const xs = inputs.map((a) => a[offsets[r]! + i]!);
          const want = op === 'max' ? Math.max(...xs) : op === 'min' ? Math.min(...xs) : xs.reduce((a, b) => a + b, 0) / (op === 'mean' ? n : 1);
          expect(Math.abs(copy[i]! - want)).toBeLessThan(1e-6 * n);
        }
      }
    }
  });

  it('fp16 on the wire: within fp16 accuracy of the float64 sum', async () => {
    const n = 2 + rand(3);
    const size = 1 + rand(5000);
    const inputs = Array.from({ length: n }, () => Float32Array.from({ length: size }, () => Math.random() * 2 - 1));
    const offsets = reduceScatterOffsets(size, n);
    const segmentElements = 1 + rand(700);
    const outs = await Promise.all(ring(n).map((l, r) => ringReduceScatter(l, Float32Array.from(inputs[r]!), 'sum', { seq: 0, segmentElements, fp16: true, offsets })));
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < outs[r]!.length; i++) {
        const want = inputs.reduce((s, a) => s + a[offsets[r]! + i]!, 0);
        expect(Math.abs(outs[r]![i]! - want)).toBeLessThan(n * n * 2 ** -11);
      }
    }
  });

  it('rejects counts of the wrong length, negative or not summing to the size, naming the rank or the sum', () => {
    expect(() => reduceScatterOffsets(10, 3, [5, 5])).toThrow(/one entry per rank \(3\), got 2 entries/);
    expect(() => reduceScatterOffsets(10, 3, [5, -1, 6])).toThrow(/counts\[1\] \(rank 1\) an integer >= 0, got -1/);
    expect(() => reduceScatterOffsets(10, 3, [5, 1.5, 3.5])).toThrow(/rank 1/);
    expect(() => reduceScatterOffsets(10, 3, [5, 1, 3])).toThrow(/summing to data.length 10, got sum 9/);
    const n = 1 + rand(6);
    const size = rand(1000);
    const even = reduceScatterOffsets(size, n);
    for (let r = 0; r <= n; r++) expect(even[r]).toBe(Math.floor((r * size) / n));
  });
});

describe('directAllReduce', () => {
  it('over a mesh of links equals the float64 reference on every rank with identical bits, receiving in place', async () => {
    for (let call = 0; call < 3; call++) {
      const n = 2 + rand(3);
      const size = rand(2) === 0 ? rand(n + 2) : n + rand(6000);
      const seg = 1 + rand(500);
      const op = (['sum', 'mean', 'max', 'min'] as const)[rand(4)]!;
      const strides = Array.from({ length: n - 1 }, (_, i) => intoRing(n, i + 1));
      const inputs = Array.from({ length: n }, () => Float32Array.from({ length: size }, () => Math.random() * 2 - 1));
      const outs = await Promise.all(Array.from({ length: n }, async (_, r) => {
        const links = strides.map((s) => s.links[r]!);
        const data = Float32Array.from(inputs[r]!);
        const scratch = new Float32Array(directAllReduceScratchElements(size, n));
        const out = await directAllReduce(links, data, op, { seq: call, segmentElements: seg, scratch });
        expect(out).toBe(data);
        return out.slice();
      }));
      for (let i = 0; i < size; i++) {
        const xs = inputs.map((a) => a[i]!);
        const want = op === 'max' ? Math.max(...xs) : op === 'min' ? Math.min(...xs) : xs.reduce((a, b) => a + b, 0) / (op === 'mean' ? n : 1);
        expect(Math.abs(outs[0]![i]! - want)).toBeLessThan(1e-6 * n);
      }
      for (const o of outs) expect(Buffer.from(o.buffer).equals(Buffer.from(outs[0]!.buffer))).toBe(true);
      if (size >= n) expect(strides.reduce((a, s) => a + s.landedInPlace(), 0)).toBeGreaterThanOrEqual(2 * n * (n - 1));
    }
  });
});

describe('useDirectAllReduce', () => {
  it('auto takes the direct algorithm for N >= 3 from DIRECT_ALL_REDUCE_MIN_BYTES on; ring never; direct always from N = 3', () => {
    const N = 3 + rand(5);
    const big = DIRECT_ALL_REDUCE_MIN_BYTES + rand(1e6);
    const small = rand(DIRECT_ALL_REDUCE_MIN_BYTES);
    expect([useDirectAllReduce('auto', N, big), useDirectAllReduce('auto', N, small), useDirectAllReduce('auto', 2, big)]).toEqual([true, false, false]);
    expect([useDirectAllReduce('ring', N, big), useDirectAllReduce('direct', N, small), useDirectAllReduce('direct', 2, big)]).toEqual([false, true, false]);
    expect(useDirectAllReduce('auto', N)).toBe(true); // the mesh is opened
  });
});
