import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Sample } from '../manifest/sample.js';

/**
 * The SHA-256 of a file's bytes, hex-encoded, read as a stream.
 *
 * @example await hashFile('img/0001.png') // 'e3b0c442...'
 */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Text as compared for duplicates: Unicode NFKC, lower case, runs of whitespace as one space, trimmed.
 *
 * @example normalizeText('  Seven\tEIGHT ') // 'seven eight'
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * A sample's content identity: the hash of its image and audio bytes and its normalized text
 * together, so two rows are duplicates only when every modality they carry is the same (a
 * repeated word with different images is not a duplicate).
 *
 * @param sample The sample.
 * @param hash File hasher; pass a caching one when files repeat. Default {@link hashFile}.
 * @example await sampleContentKey({ ...s, text: 'Seven ' }) === await sampleContentKey({ ...s, text: 'seven' }) // true
 */
export async function sampleContentKey(sample: Sample, hash: (path: string) => Promise<string> = hashFile): Promise<string> {
  const parts = [
    sample.image === undefined ? '' : `image:${await hash(sample.image)}`,
    sample.audio === undefined ? '' : `audio:${await hash(sample.audio)}`,
    sample.text === undefined ? '' : `text:${normalizeText(sample.text)}`,
  ];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}
