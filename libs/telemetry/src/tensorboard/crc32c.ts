/** Castagnoli polynomial, bit-reversed (RFC 3720, appendix B.4). */
const POLYNOMIAL = 0x82f63b78;

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/**
 * CRC-32C (Castagnoli), the checksum of TFRecord files and iSCSI, table-driven.
 *
 * @param bytes The data.
 * @param crc The CRC of the bytes before these, to checksum data in pieces. Default 0.
 * @returns The CRC as an unsigned 32-bit integer.
 *
 * @example
 * crc32c(new TextEncoder().encode('123456789')); // 0xe3069283
 */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
