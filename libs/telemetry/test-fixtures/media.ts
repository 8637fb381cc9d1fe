// Test helpers: small real media files with random content (PNG, WAV) and a JPEG header, built
// byte by byte from the format specifications, with no image or audio library.
import { crc32, deflateSync } from 'node:zlib';

const int = (max: number): number => Math.floor(Math.random() * max);

/** PNG colour types and their channels (PNG spec 11.2.2). */
const CHANNELS = { 0: 1, 2: 3, 4: 2, 6: 4 } as const;

/**
 * A PNG of random 8-bit pixels (filter 0 on every row), optionally with a tRNS chunk.
 *
 * @example const png = randomPng({ width: 5, height: 3, colorType: 2 });
 */
export function randomPng(options: { width: number; height: number; colorType: 0 | 2 | 4 | 6; trns?: boolean }): Buffer {
  const { width, height, colorType } = options;
  const rowBytes = width * CHANNELS[colorType];
  const raw = Buffer.alloc(height * (rowBytes + 1));
  for (let y = 0; y < height; y++) for (let x = 0; x < rowBytes; x++) raw[y * (rowBytes + 1) + 1 + x] = int(256);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, colorType, 0, 0, 0], 8);
  const chunks = [chunk('IHDR', ihdr)];
  if (options.trns) chunks.push(chunk('tRNS', Buffer.from(colorType === 0 ? [0, 7] : [0, 1, 0, 2, 0, 3])));
  chunks.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A WAV file of random samples: 16-bit PCM (format 1) or 32-bit float (format 3), with a LIST
 * chunk before `data` as many writers add.
 *
 * @example const wav = randomWav({ sampleRate: 16000, channels: 1, frames: 800 });
 */
export function randomWav(options: { sampleRate: number; channels: number; frames: number; float?: boolean }): Buffer {
  const { sampleRate, channels, frames } = options;
  const bytesPerSample = options.float ? 4 : 2;
  const data = Buffer.alloc(frames * channels * bytesPerSample);
  for (let i = 0; i < frames * channels; i++) {
    if (options.float) data.writeFloatLE(Math.random() * 2 - 1, i * 4);
    else data.writeInt16LE(int(65536) - 32768, i * 2);
  }
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(options.float ? 3 : 1, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(sampleRate, 4);
  fmt.writeUInt32LE(sampleRate * channels * bytesPerSample, 8);
  fmt.writeUInt16LE(channels * bytesPerSample, 12);
  fmt.writeUInt16LE(bytesPerSample * 8, 14);
  const list = Buffer.from('INFOISFT\x05\x00\x00\x00test\x00\x00', 'latin1'); // odd-sized, padded
  const body = Buffer.concat([Buffer.from('WAVE'), riff('fmt ', fmt), riff('LIST', list.subarray(0, 17)), riff('data', data)]);
  return Buffer.concat([Buffer.from('RIFF'), u32(body.length), body]);
}

function riff(id: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(id, 'ascii'), u32(data.length), data, Buffer.alloc(data.length % 2)]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

/**
 * The head of a baseline JPEG: SOI, an APP0 (JFIF) segment, then SOF0 with the size and component
 * count (ITU T.81 B.2.2). Enough for a header reader; not a decodable image.
 *
 * @example const jpeg = jpegHead({ width: 640, height: 480, components: 3 });
 */
export function jpegHead(options: { width: number; height: number; components: number }): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.alloc(10 + 3 * options.components);
  sof.set([0xff, 0xc0]);
  sof.writeUInt16BE(8 + 3 * options.components, 2);
  sof[4] = 8;
  sof.writeUInt16BE(options.height, 5);
  sof.writeUInt16BE(options.width, 7);
  sof[9] = options.components;
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}
