import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as zmq from 'zeromq';
import { DistributedError } from '@omnitrain/core';
import { Dtype, HEADER_BYTES, HeaderTemplate, Op, PROTOCOL_VERSION, decodeHeader, deriveCurveKeys, encodeHeader, fromFloat16, jobTag, toFloat16, z85Encode } from '@omnitrain/distributed';

const rand = (k: number): number => Math.floor(Math.random() * k);

describe('protocol header', () => {
  const tag = jobTag(`job-${rand(1e6)}`);
  const header = () => ({ version: PROTOCOL_VERSION, op: Op.allReduce, dtype: Dtype.float32, jobTag: tag, seq: rand(1e9), part: rand(1e6), length: rand(1000), sender: rand(100) } as const);

  it('round-trips every field', () => {
    const h = header();
    const frame = encodeHeader(h);
    expect(frame.byteLength).toBe(HEADER_BYTES);
    expect(decodeHeader(frame, new Uint8Array(h.length * 4), { jobTag: tag, op: h.op, seq: h.seq, part: h.part, dtype: h.dtype, length: h.length, sender: h.sender })).toEqual(h);
  });

  it('rejects another version, job, op, sequence, dtype, length or a short payload, naming the field', () => {
    const h = header();
    const payload = new Uint8Array(h.length * 4);
    const cases: Array<[Parameters<typeof encodeHeader>[0], Uint8Array, RegExp]> = [
      [{ ...h, version: PROTOCOL_VERSION + 1 }, payload, new RegExp(`protocol version ${PROTOCOL_VERSION}, got ${PROTOCOL_VERSION + 1} from rank ${h.sender}`)],
      [{ ...h, jobTag: jobTag('other-job') }, payload, /job tag/],
      [{ ...h, op: Op.broadcast }, payload, /op allReduce, got broadcast/],
      [{ ...h, seq: h.seq + 1 }, payload, new RegExp(`call sequence ${h.seq}, got ${h.seq + 1}`)],
      [{ ...h, dtype: Dtype.float16, length: h.length * 2 }, payload, /dtype 1, got 2|length/],
      [{ ...h, length: h.length + 1 }, new Uint8Array((h.length + 1) * 4), /length/],
      [h, new Uint8Array(h.length * 4 + 3), /payload of/],
    ];
    for (const [bad, p, message] of cases) {
      const check = () => decodeHeader(encodeHeader(bad), p, { jobTag: tag, op: h.op, seq: h.seq, dtype: h.dtype, length: h.length });
      expect(check).toThrow(DistributedError);
      expect(check).toThrow(message);
    }
    expect(() => decodeHeader(randomBytes(HEADER_BYTES), new Uint8Array(0), { jobTag: tag })).toThrow(/magic/);
  });

  it('HeaderTemplate.encodeInto writes the bytes of encodeHeader at any offset and touches nothing else', () => {
    const h = header();
    const t = new HeaderTemplate(tag, h.op, h.dtype, h.sender);
    const offset = rand(64);
    const fill = randomBytes(offset + HEADER_BYTES + 16);
    const frame = Buffer.from(fill);
    t.encodeInto(frame, offset, h.seq, h.part, h.length);
    expect(frame.subarray(offset, offset + HEADER_BYTES).equals(encodeHeader(h))).toBe(true);
    expect(frame.subarray(0, offset).equals(fill.subarray(0, offset))).toBe(true);
    expect(frame.subarray(offset + HEADER_BYTES).equals(fill.subarray(offset + HEADER_BYTES))).toBe(true);
  });

  it('HeaderTemplate encodes the bytes of encodeHeader and checks every field decodeHeader checks', () => {
    const h = header();
    const t = new HeaderTemplate(tag, h.op, h.dtype, h.sender);
    const frame = t.encode(h.seq, h.part, h.length);
    expect(frame.equals(encodeHeader(h))).toBe(true);
    const payload = new Uint8Array(h.length * 4);
    expect(() => t.check(frame, payload, h.seq, h.part, h.length)).not.toThrow();
    expect(() => t.check(frame, payload, h.seq, h.part, undefined)).not.toThrow();
    const cases: Array<[Parameters<typeof encodeHeader>[0], Uint8Array, RegExp]> = [
      [{ ...h, version: PROTOCOL_VERSION + 1 }, payload, /protocol version/],
      [{ ...h, jobTag: jobTag('other-job') }, payload, /job tag/],
      [{ ...h, op: Op.broadcast }, payload, /op allReduce, got broadcast/],
      [{ ...h, seq: h.seq + 1 + rand(100) }, payload, new RegExp(`call sequence ${h.seq}`)],
      [{ ...h, part: h.part + 1 + rand(100) }, payload, new RegExp(`segment ${h.part}`)],
      [{ ...h, dtype: Dtype.float16, length: h.length * 2 }, payload, /dtype 1, got 2/],
      [{ ...h, length: h.length + 1 }, new Uint8Array((h.length + 1) * 4), /length/],
      [{ ...h, sender: h.sender + 1 }, payload, new RegExp(`sender rank ${h.sender}`)],
      [h, new Uint8Array(h.length * 4 + 1 + rand(7)), /payload of/],
    ];
    for (const [bad, p, message] of cases) {
      const check = () => t.check(encodeHeader(bad), p, h.seq, h.part, h.length);
      expect(check).toThrow(DistributedError);
      expect(check).toThrow(message);
    }
    const garbage = randomBytes(HEADER_BYTES);
    expect(() => t.check(garbage, payload, h.seq, h.part, h.length)).toThrow(/magic/);
    expect(() => t.check(frame.subarray(0, HEADER_BYTES - 1), payload, h.seq, h.part, h.length)).toThrow(/header of/);
  });
});

describe('float16 wire format', () => {
  it('matches IEEE half rounding (round to nearest even) on random values, subnormals, overflow and NaN', () => {
    const xs = Float32Array.from({ length: 20_000 }, () => (Math.random() - 0.5) * 2 ** (rand(40) - 25));
    xs.set([0, -0, 65504, 65520, 1e6, -1e6, 2 ** -24, 2 ** -25, 3 * 2 ** -26, NaN, Infinity, -Infinity], 0);
    const back = fromFloat16(toFloat16(xs));
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      // Oracle: the nearest of the representable halves around x (exhaustive table search).
      if (Number.isNaN(x)) {
        expect(back[i]).toBeNaN();
        continue;
      }
      const a = Math.abs(x);
      const e = Math.max(-14, Math.floor(Math.log2(a || 1)));
      const ulp = 2 ** (e - 10);
      const lo = Math.floor(a / ulp) * ulp;
      const hi = lo + ulp;
      let want = a - lo < hi - a ? lo : a - lo > hi - a ? hi : (lo / ulp) % 2 === 0 ? lo : hi;
      if (want > 65504) want = Infinity;
      if (!Number.isFinite(a)) want = Infinity;
      expect(Math.abs(back[i]!)).toBe(want);
      if (want !== 0) expect(Math.sign(back[i]!)).toBe(Math.sign(x));
    }
  });
});

describe('CURVE keys derived from the job secret', () => {
  it('match what libzmq derives from the secret key, and differ per secret and job', async () => {
    const secret = randomBytes(24).toString('hex');
    const k = deriveCurveKeys(secret, 'job-1');
    expect(k.publicKey).toHaveLength(40);
    expect(deriveCurveKeys(secret, 'job-1')).toEqual(k);
    expect(deriveCurveKeys(secret, 'job-2').publicKey).not.toBe(k.publicKey);
    expect(deriveCurveKeys(`${secret}x`, 'job-1').publicKey).not.toBe(k.publicKey);
    // A CURVE handshake only succeeds if the public key really belongs to the secret key.
    const server = new zmq.Reply({ curveServer: true, curveSecretKey: k.secretKey, curvePublicKey: k.publicKey, linger: 0 });
    await server.bind('tcp://127.0.0.1:*');
    const client = new zmq.Request({ curveServerKey: k.publicKey, curvePublicKey: k.publicKey, curveSecretKey: k.secretKey, receiveTimeout: 5000, linger: 0 });
    client.connect(server.lastEndpoint!);
    await client.send('ping');
    const [msg] = await server.receive();
    await server.send(msg!);
    expect((await client.receive())[0]!.toString()).toBe('ping');
    client.close();
    server.close();
    expect(() => deriveCurveKeys('short', 'j')).toThrow(/16 characters/);
  });
  it('z85 encodes as the ZeroMQ spec example', () => {
    expect(z85Encode(Uint8Array.of(0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b))).toBe('HelloWorld');
  });
});
