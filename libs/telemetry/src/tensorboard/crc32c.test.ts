import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32c, frameRecord, maskCrc32c } from '@omnitrain/telemetry';
import { referenceCrc32c, referenceMask } from '../../test-fixtures/reference-crc32c.js';

const bytes = (values: number[]) => Uint8Array.from(values);

describe('crc32c', () => {
  it('matches the published vectors (RFC 3720 B.4, and the "123456789" check value)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(bytes(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(bytes(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
    const iscsiRead = [0x01, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x14, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0x14, 0, 0, 0, 0x18, 0x28, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0];
    expect(crc32c(bytes(iscsiRead))).toBe(0xd9963a56);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with the bitwise definition on random data, also when chained', () => {
    for (const length of [1, 7, 64, 1000]) {
      const data = randomBytes(length);
      expect(crc32c(data)).toBe(referenceCrc32c(data));
      const cut = Math.floor(Math.random() * length);
      expect(crc32c(data.subarray(cut), crc32c(data.subarray(0, cut)))).toBe(referenceCrc32c(data));
    }
  });

  it('masks and frames TFRecords as TensorFlow does', () => {
    for (const crc of [0, 1, 0xffffffff, 0xe3069283, randomBytes(4).readUInt32LE()]) expect(maskCrc32c(crc)).toBe(referenceMask(crc));
    const data = randomBytes(300);
    const record = Buffer.from(frameRecord(data));
    expect(record.length).toBe(8 + 4 + 300 + 4);
    expect(record.readBigUInt64LE(0)).toBe(300n);
    expect(record.readUInt32LE(8)).toBe(referenceMask(referenceCrc32c(record.subarray(0, 8))));
    expect(record.subarray(12, 312).equals(data)).toBe(true);
    expect(record.readUInt32LE(312)).toBe(referenceMask(referenceCrc32c(data)));
  });
});
