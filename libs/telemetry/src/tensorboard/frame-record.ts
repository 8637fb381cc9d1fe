import { crc32c } from './crc32c.js';

/**
 * The masked CRC-32C that TFRecord stores: rotated right by 15 bits plus a constant, because a
 * CRC of data that holds CRCs is weak.
 *
 * @example maskCrc32c(crc32c(bytes));
 */
export function maskCrc32c(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/**
 * One TFRecord: uint64 length (little-endian), masked CRC-32C of those 8 bytes, the data, masked
 * CRC-32C of the data. TensorBoard event files are a sequence of these.
 *
 * @param data The record's payload (a serialized `Event`).
 *
 * @example await handle.write(frameRecord(encodeTensorboardEvent(event)));
 */
export function frameRecord(data: Uint8Array): Uint8Array {
  const record = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(record.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskCrc32c(crc32c(record.subarray(0, 8))), true);
  record.set(data, 12);
  view.setUint32(12 + data.length, maskCrc32c(crc32c(data)), true);
  return record;
}
