// Test oracle: CRC-32C computed bit by bit, straight from the definition (RFC 3720, B.4), and the
// TFRecord mask as tensorflow/tsl/lib/hash/crc32c.h states it.

/** CRC-32C of `bytes`, one bit at a time (slow, obviously right). */
export function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** `Mask(crc) = ((crc >> 15) | (crc << 17)) + kMaskDelta`, in 32-bit arithmetic. */
export function referenceMask(crc: number): number {
  return Number((((BigInt(crc) >> 15n) | (BigInt(crc) << 17n)) + 0xa282ead8n) & 0xffffffffn);
}
