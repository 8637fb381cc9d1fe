import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import { decodeImage } from '@omnitrain/image';

// decodeImage decodes baseline JFIF JPEGs in JS (libjpeg's integer IDCT, fancy upsampling and
// YCbCr tables); the oracle is sharp itself on the same bytes, which must agree byte for byte.

const FIXTURES = fileURLToPath(new URL('../../test-fixtures/', import.meta.url));

/** sharp's raw sRGB decode of `bytes`, as decodeImage's [0, 1] floats. */
async function sharpDecode(bytes: Uint8Array, alpha = false): Promise<{ data: Float32Array; shape: number[] }> {
  const pipeline = sharp(bytes).toColourspace('srgb');
  if (alpha) pipeline.ensureAlpha();
  else pipeline.removeAlpha();
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data: Float32Array.from(data, (v) => v / 255), shape: [info.height, info.width, info.channels] };
}

/** A smooth random scene with noise (what photos look like to a JPEG encoder), 8-bit HWC. */
function scene(width: number, height: number, channels: 1 | 3): Buffer {
  const phase = Array.from({ length: 3 }, () => Math.random() * 6);
  const freq = 0.05 + Math.random() * 0.5;
  const out = Buffer.alloc(width * height * channels);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++, i++) {
        const v = 128 + 90 * Math.sin(freq * x + phase[c]!) * Math.cos(freq * 0.7 * y + phase[c]!) + 40 * (Math.random() - 0.5);
        out[i] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return out;
}

describe('decodeImage on JPEG files (the JS baseline decoder)', () => {
  it('equals sharp byte for byte on random sizes, qualities, 4:2:0 / 4:4:4 chroma and gray', async () => {
    for (let t = 0; t < 24; t++) {
      const width = 3 + Math.floor(Math.random() * 70);
      const height = 1 + Math.floor(Math.random() * 70);
      const channels = t % 4 === 3 ? 1 : 3;
      const raw = sharp(scene(width, height, channels), { raw: { width, height, channels } });
      if (channels === 1) raw.toColourspace('b-w');
      const bytes = await raw
        .jpeg({ quality: 5 + Math.floor(Math.random() * 96), chromaSubsampling: t % 2 ? '4:4:4' : '4:2:0', optimiseCoding: t % 3 === 0 })
        .toBuffer();
      const ours = await decodeImage(bytes);
      const oracle = await sharpDecode(bytes);
      expect(ours.shape, `${width}x${height}x${channels}`).toEqual(oracle.shape);
      expect(ours.data).toEqual(oracle.data);
    }
  });

  it('equals sharp on restart intervals, 4:2:2 and 4:4:0 chroma, and falls back to sharp for progressive files', async () => {
    // Made with PIL and cjpeg (libjpeg-turbo): sharp cannot write restart markers or 4:2:2 / 4:4:0.
    for (const name of ['restart-420.jpg', 'restart-440.jpg', 'subsampled-422.jpg', 'progressive.jpg']) {
      const bytes = await readFile(join(FIXTURES, name));
      const ours = await decodeImage(bytes, { source: name });
      const oracle = await sharpDecode(bytes);
      expect(ours.shape, name).toEqual(oracle.shape);
      expect(ours.data, name).toEqual(oracle.data);
      const withAlpha = await decodeImage(bytes, { alpha: 'add' });
      expect(withAlpha.data).toEqual((await sharpDecode(bytes, true)).data);
    }
  });

  it('agrees with sharp on damaged files: the same pixels where sharp decodes, a DataError where it fails', async () => {
    const width = 16 + Math.floor(Math.random() * 40);
    const bytes = await sharp(scene(width, 24, 3), { raw: { width, height: 24, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
    const eoi = bytes.length - 2;
    const scanStart = bytes.length - Math.floor((bytes.length - 700) * 0.9); // inside the entropy-coded data
    const variants: Array<[string, Buffer]> = [
      ['padded.jpg', Buffer.concat([bytes.subarray(0, eoi), Buffer.from([0x12, 0x34, 0x56]), bytes.subarray(eoi)])],
      ['cut.jpg', Buffer.concat([bytes.subarray(0, Math.floor(eoi * 0.8)), bytes.subarray(eoi)])],
    ];
    for (let k = 0; k < 12; k++) {
      const flipped = Buffer.from(bytes);
      const at = scanStart + Math.floor(Math.random() * (eoi - scanStart));
      flipped[at] = flipped[at]! ^ (1 << Math.floor(Math.random() * 8));
      variants.push([`flipped-${k}.jpg`, flipped]);
    }
    let failures = 0;
    for (const [name, damaged] of variants) {
      const oracle = await sharpDecode(damaged).catch(() => undefined);
      const ours = decodeImage(damaged, { source: name });
      if (oracle === undefined) {
        failures++;
        await expect(ours, name).rejects.toThrow(DataError);
      } else {
        expect((await ours).data, name).toEqual(oracle.data);
      }
    }
    expect(failures).toBeGreaterThan(0); // the cut file at least
  });
});
