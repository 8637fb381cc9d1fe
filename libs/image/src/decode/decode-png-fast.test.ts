import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import { decodeImage } from '@omnitrain/image';

// decodeImage decodes plain 8-bit PNGs in JS (no sharp call); the oracle here is sharp itself on the
// same bytes, with the pipeline decodeImage uses for every other file.

const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** A PNG of random samples, each row filtered with `filterOf(row)` (0..4), split into several IDATs. */
function makePng(width: number, height: number, colorType: number, filterOf: (row: number) => number, extra: Buffer[] = []): Buffer {
  const bpp = SAMPLES[colorType]!;
  const stride = width * bpp;
  const paletteSize = 1 + Math.floor(Math.random() * 255);
  const pixels = Uint8Array.from({ length: height * stride }, () => Math.floor(Math.random() * (colorType === 3 ? paletteSize : 256)));
  const filtered = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const f = filterOf(y);
    filtered[y * (stride + 1)] = f;
    for (let i = 0; i < stride; i++) {
      const x = pixels[y * stride + i]!;
      const a = i >= bpp ? pixels[y * stride + i - bpp]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const c = y > 0 && i >= bpp ? pixels[(y - 1) * stride + i - bpp]! : 0;
      const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][f]!;
      filtered[y * (stride + 1) + 1 + i] = (x - pred) & 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  const z = deflateSync(filtered);
  const cut = Math.floor(z.length / 2);
  const palette = Uint8Array.from({ length: 3 * paletteSize }, () => Math.floor(Math.random() * 256));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(colorType === 3 ? [chunk('PLTE', palette)] : []),
    ...extra,
    chunk('IDAT', z.subarray(0, cut)),
    chunk('IDAT', z.subarray(cut)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** sharp's raw sRGB output, alpha dropped, kept or added: what decodeImage's sharp path gives. */
async function sharpRaw(png: Buffer, alpha: 'drop' | 'keep' | 'add'): Promise<{ data: Float32Array; channels: number }> {
  const p = sharp(png).toColourspace('srgb');
  if (alpha === 'drop') p.removeAlpha();
  if (alpha === 'add') p.ensureAlpha();
  const { data, info } = await p.raw().toBuffer({ resolveWithObject: true });
  return { data: Float32Array.from(data, (v) => v / 255), channels: info.channels };
}

describe('decodeImage on plain 8-bit PNGs (JS fast path)', () => {
  const filterCases: Array<[string, (row: number) => number]> = [0, 1, 2, 3, 4].map((f) => [`filter ${f}`, () => f]);
  filterCases.push(['mixed filters', () => Math.floor(Math.random() * 5)]);
  for (const colorType of [0, 2, 3, 4, 6]) {
    it(`colour type ${colorType}: equals sharp for every filter type and alpha mode`, async () => {
      for (const [, filterOf] of filterCases) {
        const width = 1 + Math.floor(Math.random() * 40);
        const height = 1 + Math.floor(Math.random() * 30);
        const png = makePng(width, height, colorType, filterOf);
        for (const alpha of ['drop', 'keep', 'add'] as const) {
          const ref = await sharpRaw(png, alpha);
          const img = await decodeImage(png, { alpha });
          expect(img.shape).toEqual([height, width, ref.channels]);
          expect(img.data).toEqual(ref.data);
        }
        // gray files keep their exact gray values; colour files go through luma, as on the sharp path
        const gray = await decodeImage(png, { colors: 'gray' });
        expect(gray.shape).toEqual([height, width, 1]);
        if (colorType === 0 || colorType === 4) expect(gray.data).toEqual((await sharpRaw(png, 'drop')).data.filter((_, i) => i % 3 === 0));
      }
    });
  }

  it('leaves what it does not handle to sharp: transparency chunks, 16-bit (decoded the same as before)', async () => {
    const trns = chunk('tRNS', Uint8Array.of(0, 7));
    const png = makePng(6, 5, 0, () => 4, [trns]);
    const ref = await sharpRaw(png, 'keep');
    expect((await decodeImage(png, { alpha: 'keep' })).data).toEqual(ref.data);
    const wide = await sharp(Buffer.from(Uint16Array.from({ length: 12 }, () => Math.floor(Math.random() * 65536)).buffer), {
      raw: { width: 2, height: 2, channels: 3 },
    })
      .png()
      .toBuffer();
    expect((await decodeImage(wide)).shape).toEqual([2, 2, 3]);
  });

  it('reports a damaged PNG (bad CRC, truncated data) as a DataError naming the file, as the sharp path does', async () => {
    const png = makePng(9, 9, 2, () => 1);
    const badCrc = Buffer.from(png);
    badCrc[40] = badCrc[40]! ^ 0xff; // inside the first IDAT
    await expect(decodeImage(badCrc, { source: 'digits/bad-crc.png' })).rejects.toThrow(DataError);
    await expect(decodeImage(badCrc, { source: 'digits/bad-crc.png' })).rejects.toThrow(/digits\/bad-crc\.png/);
    const truncated = png.subarray(0, png.length - 30);
    await expect(decodeImage(truncated, { source: 'digits/cut.png' })).rejects.toThrow(/digits\/cut\.png/);
  });
});
