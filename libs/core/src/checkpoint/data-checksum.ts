import { crc32 } from 'node:zlib';

/**
 * The `__metadata__` key under which Omnitrain stores the CRC-32 of a file's data section, as
 * 8 lowercase hex digits. Readers verify it when present; files from other tools lack it and still load.
 */
export const CHECKSUM_METADATA_KEY = 'omnitrain.crc32';

/** The CRC-32 (zlib's polynomial) of `parts` laid end to end, as 8 lowercase hex digits. */
export function dataChecksum(parts: Iterable<Uint8Array>): string {
  let crc = 0;
  for (const part of parts) {
    // Node 20's zlib.crc32 can answer 0 for an empty array instead of the running value.
    if (part.byteLength > 0) crc = crc32(part, crc);
  }
  return crc.toString(16).padStart(8, '0');
}
