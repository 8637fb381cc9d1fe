/** 8-bit samples of a JPEG decoded without sharp, as sharp's raw sRGB output gives them. */
export interface FastJpeg {
  width: number;
  height: number;
  /** RGB or RGBA bytes, row-major: what `sharp(jpeg).toColourspace('srgb').raw()` gives. */
  data: Uint8Array;
  /** 3 or 4 (`alpha: 'add'`: opaque alpha). */
  channels: 3 | 4;
  /** Stored gray (one component). */
  gray: boolean;
}

// The zigzag order of the 64 coefficients (index in the stream -> index in the 8x8 block), built
// at load time (a table literal is fine here: this is JavaScript, not a wasm module).
const ZIGZAG = new Int32Array(64);
{
  let i = 0;
  for (let s = 0; s < 15; s++) {
    const coords: Array<[number, number]> = [];
    for (let y = 0; y < 8; y++) if (s - y >= 0 && s - y < 8) coords.push([y, s - y]);
    if (s % 2 === 0) coords.reverse(); // even diagonals run bottom-left to top-right
    for (const [y, x] of coords) ZIGZAG[i++] = y * 8 + x;
  }
}

// libjpeg's jidctint.c (the "islow" integer IDCT libvips decodes with) constants, CONST_BITS = 13.
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

// libjpeg's jdcolor.c YCbCr -> RGB tables (SCALEBITS = 16).
const CR_R = new Int32Array(256);
const CB_B = new Int32Array(256);
const CR_G = new Int32Array(256);
const CB_G = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  const x = i - 128;
  const fix = (v: number) => Math.floor(v * 65536 + 0.5);
  CR_R[i] = (fix(1.402) * x + 32768) >> 16;
  CB_B[i] = (fix(1.772) * x + 32768) >> 16;
  CR_G[i] = -fix(0.71414) * x;
  CB_G[i] = -fix(0.34414) * x + 32768;
}

/** Thrown inside the decoder for anything it leaves to sharp; never escapes decodeJpegFast. */
class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported();
};

interface Huffman {
  /** 9-bit lookahead: (length << 8) | symbol, 0 when the code is longer. */
  fast: Uint16Array;
  maxCode: Int32Array; // per length 1..16 (index 17: sentinel)
  valOffset: Int32Array;
  values: Uint8Array;
}

interface Component {
  id: number;
  h: number;
  v: number;
  quant: number;
  dc: number;
  ac: number;
  pred: number;
  /** Blocks per line and column in the plane. */
  bw: number;
  bh: number;
  /** The component's real sample width and height. */
  width: number;
  height: number;
  plane: Uint8Array;
}

/**
 * Decodes a baseline (sequential, Huffman, 8-bit) JFIF JPEG in JavaScript, gray or YCbCr with
 * 4:4:4, 4:2:2, 4:4:0 or 4:2:0 chroma, with libjpeg's exact integer arithmetic (islow IDCT, fancy
 * upsampling, YCbCr tables), skipping sharp's per-call overhead (~0.5 ms, more than decoding a
 * small image). The output equals sharp's raw sRGB output byte for byte. Returns undefined for
 * anything else (progressive or arithmetic coding, 12-bit, CMYK, EXIF orientation, ICC profiles,
 * Adobe markers, several scans, tiny subsampled images, any damage), so the caller falls back to
 * sharp, which then decodes or reports the error. Internal to decodeImage.
 *
 * @param bytes The JPEG file.
 * @param alpha `drop`, `keep` (a JPEG has none: as drop) or `add` (opaque alpha).
 * @example decodeJpegFast(bytes, 'drop') // { width: 224, height: 224, data: <150528 bytes>, channels: 3, gray: false }
 */
export function decodeJpegFast(bytes: Uint8Array, alpha: 'drop' | 'keep' | 'add'): FastJpeg | undefined {
  try {
    return decode(bytes, alpha);
  } catch (error) {
    if (error instanceof Unsupported || error instanceof RangeError) return undefined;
    throw error;
  }
}

function decode(b: Uint8Array, alpha: 'drop' | 'keep' | 'add'): FastJpeg {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) unsupported();
  const quant: Array<Int32Array | undefined> = [];
  const dcTables: Array<Huffman | undefined> = [];
  const acTables: Array<Huffman | undefined> = [];
  let components: Component[] = [];
  let width = 0;
  let height = 0;
  let restartInterval = 0;
  let jfif = false;
  let p = 2;
  const u16 = (at: number) => (b[at]! << 8) | b[at + 1]!;
  for (;;) {
    if (p + 4 > b.length || b[p] !== 0xff) unsupported();
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p++;
      continue;
    }
    const length = u16(p + 2);
    const body = p + 4;
    const end = p + 2 + length;
    if (length < 2 || end > b.length) unsupported();
    if (marker === 0xe0) {
      if (length >= 7 && b[body] === 0x4a && b[body + 1] === 0x46 && b[body + 2] === 0x49 && b[body + 3] === 0x46 && b[body + 4] === 0) jfif = true;
    } else if (marker === 0xdb) {
      for (let q = body; q < end; ) {
        const precision = b[q]! >> 4;
        if (precision > 1 || (b[q]! & 15) > 3) unsupported();
        const table = new Int32Array(64);
        for (let k = 0; k < 64; k++) table[ZIGZAG[k]!] = precision ? u16(q + 1 + 2 * k) : b[q + 1 + k]!;
        quant[b[q]! & 15] = table;
        q += 1 + 64 * (precision ? 2 : 1);
        if (q > end) unsupported();
      }
    } else if (marker === 0xc4) {
      for (let q = body; q < end; ) {
        const cls = b[q]! >> 4;
        const counts = b.subarray(q + 1, q + 17);
        let total = 0;
        for (const c of counts) total += c;
        if (cls > 1 || (b[q]! & 15) > 3 || total > 256) unsupported();
        const table = huffman(counts, b.subarray(q + 17, q + 17 + total));
        (cls === 0 ? dcTables : acTables)[b[q]! & 15] = table;
        q += 17 + total;
        if (q > end) unsupported();
      }
    } else if (marker === 0xdd) {
      if (length !== 4) unsupported();
      restartInterval = u16(body);
    } else if (marker === 0xc0 || marker === 0xc1) {
      if (b[body] !== 8 || components.length > 0) unsupported();
      height = u16(body + 1);
      width = u16(body + 3);
      const n = b[body + 5]!;
      if (width === 0 || height === 0 || (n !== 1 && n !== 3) || length !== 8 + 3 * n) unsupported();
      for (let c = 0; c < n; c++) {
        const at = body + 6 + 3 * c;
        const id = b[at]!;
        if (b[at + 1]! >> 4 < 1 || b[at + 1]! >> 4 > 4 || (b[at + 1]! & 15) < 1 || (b[at + 1]! & 15) > 4 || b[at + 2]! > 3) unsupported();
        components.push({ id, h: b[at + 1]! >> 4, v: b[at + 1]! & 15, quant: b[at + 2]!, dc: 0, ac: 0, pred: 0, bw: 0, bh: 0, width: 0, height: 0, plane: new Uint8Array(0) });
      }
    } else if (marker === 0xda) {
      if (components.length === 0) unsupported();
      const n = b[body]!;
      const baseline = b[body + 1 + 2 * n] === 0 && b[body + 2 + 2 * n] === 63 && b[body + 3 + 2 * n] === 0;
      if (n !== components.length || length !== 6 + 2 * n || !baseline) unsupported();
      for (let c = 0; c < n; c++) {
        // The scan's components in the frame's order (the MCU's block order follows the scan's).
        const comp = components[c]!;
        if (comp.id !== b[body + 1 + 2 * c]) unsupported();
        comp.dc = b[body + 2 + 2 * c]! >> 4;
        comp.ac = b[body + 2 + 2 * c]! & 15;
      }
      components = checkLayout(components, width, height, jfif);
      p = decodeScan(b, end, components, restartInterval, quant, dcTables, acTables);
      // The scan must be followed by the end of the image (another scan, DNL, ... go to sharp).
      while (p < b.length && b[p] === 0xff && b[p + 1] === 0xff) p++;
      if (b[p] !== 0xff || b[p + 1] !== 0xd9) unsupported();
      return toRgb(components, width, height, alpha);
    } else if (marker === 0xe1 || marker === 0xe2 || marker === 0xee) {
      unsupported(); // EXIF (orientation), ICC profile, Adobe colour transform: sharp acts on them
    } else if (!(marker >= 0xe0 && marker <= 0xef) && marker !== 0xfe) {
      unsupported(); // progressive, lossless, arithmetic, hierarchical, a stray marker
    }
    p = end;
  }
}

/** Checks the sampling layout this decoder supports and sizes each component's plane. */
function checkLayout(components: Component[], width: number, height: number, jfif: boolean): Component[] {
  if (components.length === 3) {
    const [y, cb, cr] = components as [Component, Component, Component];
    const ycc = jfif || (y.id === 1 && cb.id === 2 && cr.id === 3);
    const chromaOk = cb.h === 1 && cb.v === 1 && cr.h === 1 && cr.v === 1;
    if (!ycc || !chromaOk || y.h < 1 || y.h > 2 || y.v < 1 || y.v > 2) unsupported();
    // libjpeg upsamples 2-wide-or-less chroma without its fancy filter: leave those to sharp.
    if (y.h === 2 && Math.ceil(width / 2) <= 2) unsupported();
  } else {
    components[0]!.h = 1; // one component: one block per MCU whatever the header says
    components[0]!.v = 1;
  }
  const hMax = Math.max(...components.map((c) => c.h));
  const vMax = Math.max(...components.map((c) => c.v));
  const mcusX = Math.ceil(width / (8 * hMax));
  const mcusY = Math.ceil(height / (8 * vMax));
  for (const c of components) {
    c.width = Math.ceil((width * c.h) / hMax);
    c.height = Math.ceil((height * c.v) / vMax);
    c.bw = mcusX * c.h;
    c.bh = mcusY * c.v;
    c.plane = new Uint8Array(c.bw * c.bh * 64);
  }
  return components;
}

/** Canonical Huffman decoding tables from a DHT's 16 counts and its symbols. */
function huffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const fast = new Uint16Array(512);
  const maxCode = new Int32Array(18).fill(-1);
  const valOffset = new Int32Array(18);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1]!;
    valOffset[len] = k - code;
    for (let i = 0; i < n; i++, k++, code++) {
      if (len <= 9) {
        const shift = 9 - len;
        for (let j = 0; j < 1 << shift; j++) fast[(code << shift) | j] = (len << 8) | values[k]!;
      }
    }
    maxCode[len] = n > 0 ? code - 1 : -1;
    if (code > 1 << len) unsupported();
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff;
  return { fast, maxCode, valOffset, values };
}

/** Decodes the entropy-coded data from `start`; returns the position after it (at the next marker). */
function decodeScan(
  b: Uint8Array,
  start: number,
  components: Component[],
  restartInterval: number,
  quant: Array<Int32Array | undefined>,
  dcTables: Array<Huffman | undefined>,
  acTables: Array<Huffman | undefined>,
): number {
  let pos = start;
  let buffer = 0; // bits, left-aligned in the low `count` bits
  let count = 0;
  let padded = 0; // zero bits added past a marker
  const fill = () => {
    while (count <= 24) {
      let byte = 0;
      if (pos < b.length && b[pos] !== 0xff) byte = b[pos++]!;
      else if (pos + 1 < b.length && b[pos] === 0xff && b[pos + 1] === 0) {
        byte = 0xff;
        pos += 2;
      } else padded += 8; // a marker (or the end): zeros, as libjpeg does, and remember
      buffer = ((buffer << 8) | byte) >>> 0;
      count += 8;
    }
  };
  const bits = (n: number): number => {
    if (count < n) fill();
    count -= n;
    return (buffer >>> count) & ((1 << n) - 1);
  };
  const decodeHuffman = (t: Huffman): number => {
    if (count < 16) fill();
    const look = t.fast[(buffer >>> (count - 9)) & 511]!;
    if (look !== 0) {
      count -= look >> 8;
      return look & 255;
    }
    let len = 10;
    let code = (buffer >>> (count - 10)) & 1023;
    while (code > t.maxCode[len]!) {
      len++;
      if (len > 16) unsupported();
      code = (buffer >>> (count - len)) & ((1 << len) - 1);
    }
    count -= len;
    return t.values[code + t.valOffset[len]!]!;
  };
  const extend = (v: number, n: number) => (v < 1 << (n - 1) ? v - (1 << n) + 1 : v);
  const coef = new Int32Array(64);
  const work = new Int32Array(64);
  const tables = components.map((c) => ({
    q: quant[c.quant] ?? unsupported(),
    dc: dcTables[c.dc] ?? unsupported(),
    ac: acTables[c.ac] ?? unsupported(),
  }));
  const decodeBlock = (c: Component, ci: number, bx: number, by: number) => {
    const t = tables[ci]!;
    coef.fill(0);
    const s = decodeHuffman(t.dc);
    if (s > 15) unsupported();
    c.pred += s === 0 ? 0 : extend(bits(s), s);
    coef[0] = dequantize(c.pred, t.q[0]!);
    for (let k = 1; k < 64; ) {
      const rs = decodeHuffman(t.ac);
      const size = rs & 15;
      const run = rs >> 4;
      if (size === 0) {
        if (run !== 15) break;
        k += 16;
        continue;
      }
      k += run;
      if (k > 63) unsupported();
      const z = ZIGZAG[k]!;
      coef[z] = dequantize(extend(bits(size), size), t.q[z]!);
      k++;
    }
    idctIslow(coef, work, c.plane, (by * 8) * (c.bw * 8) + bx * 8, c.bw * 8);
  };
  const single = components.length === 1;
  const c0 = components[0]!;
  // One component: its blocks in raster order over its real size; else MCUs of interleaved blocks.
  const unitsX = single ? Math.ceil(c0.width / 8) : c0.bw / c0.h;
  const unitsY = single ? Math.ceil(c0.height / 8) : c0.bh / c0.v;
  const total = unitsX * unitsY;
  for (let unit = 0; unit < total; unit++) {
    if (restartInterval > 0 && unit > 0 && unit % restartInterval === 0) {
      if (padded > count || count - padded >= 8) unsupported(); // the interval ran short, or bytes follow it
      count = 0; // restart: byte-align, expect RSTn
      padded = 0;
      if (b[pos] !== 0xff || b[pos + 1] !== 0xd0 + (((unit / restartInterval) - 1) & 7)) unsupported();
      pos += 2;
      for (const c of components) c.pred = 0;
    }
    const ux = unit % unitsX;
    const uy = (unit - ux) / unitsX;
    if (single) decodeBlock(c0, 0, ux, uy);
    else {
      for (let ci = 0; ci < components.length; ci++) {
        const c = components[ci]!;
        for (let v = 0; v < c.v; v++) for (let h = 0; h < c.h; h++) decodeBlock(c, ci, ux * c.h + h, uy * c.v + v);
      }
    }
  }
  // The data ended before the last block (libjpeg warns), or whole bytes follow it: sharp decides.
  if (padded > count || count - padded >= 8) unsupported();
  return pos;
}

/**
 * A coefficient as libjpeg stores it (16-bit JCOEF) times its quantizer. Beyond 16 bits libjpeg's C
 * and SIMD IDCTs (which sharp runs) part ways, and only damaged files get there: left to sharp.
 */
function dequantize(value: number, q: number): number {
  const v = ((value << 16) >> 16) * q;
  if (v > 32767 || v < -32768) unsupported();
  return v;
}

/** libjpeg's jpeg_idct_islow: dequantized coefficients (natural order) to 8x8 clamped samples. */
function idctIslow(inp: Int32Array, ws: Int32Array, out: Uint8Array, at: number, stride: number): void {
  const t = IDCT_OUT;
  // Pass 1: columns, into the workspace, scaled up by 2^PASS1_BITS (2).
  for (let c = 0; c < 8; c++) {
    if (inp[8 + c] === 0 && inp[16 + c] === 0 && inp[24 + c] === 0 && inp[32 + c] === 0 && inp[40 + c] === 0 && inp[48 + c] === 0 && inp[56 + c] === 0) {
      const dc = inp[c]! * 4;
      for (let r = 0; r < 8; r++) ws[8 * r + c] = dc;
      continue;
    }
    idct8(inp, c, 8);
    for (let r = 0; r < 8; r++) {
      const v = Math.floor((t[r]! + 1024) / 2048); // DESCALE(x, CONST_BITS - PASS1_BITS = 11)
      // Real images stay well inside 2^14 here; past it the SIMD IDCT's 16/32-bit lanes saturate or wrap.
      if (v > 16384 || v < -16384) unsupported();
      ws[8 * r + c] = v;
    }
  }
  // Pass 2: rows, descaled by CONST_BITS + PASS1_BITS + 3 = 18, shifted by 128 and clamped.
  for (let r = 0, o = at; r < 8; r++, o += stride) {
    idct8(ws, 8 * r, 1);
    for (let k = 0; k < 8; k++) out[o + k] = clampSample(t[k]!);
  }
}

/** The 8 outputs of one 1-D pass of idct8, before descaling (a scratch buffer: no allocation per block). */
const IDCT_OUT = new Float64Array(8);

/** One 1-D pass of jidctint.c's islow IDCT over x[at + step * k], k = 0..7, into IDCT_OUT (undescaled). */
function idct8(x: Int32Array, at: number, step: number): void {
  // Even part: the rotator is sqrt(2) c(-6).
  let z2 = x[at + 2 * step]!;
  let z3 = x[at + 6 * step]!;
  let z1 = (z2 + z3) * FIX_0_541196100;
  let tmp2 = z1 + z3 * -FIX_1_847759065;
  let tmp3 = z1 + z2 * FIX_0_765366865;
  z2 = x[at]!;
  z3 = x[at + 4 * step]!;
  let tmp0 = (z2 + z3) * 8192;
  let tmp1 = (z2 - z3) * 8192;
  const tmp10 = tmp0 + tmp3;
  const tmp13 = tmp0 - tmp3;
  const tmp11 = tmp1 + tmp2;
  const tmp12 = tmp1 - tmp2;
  // Odd part.
  tmp0 = x[at + 7 * step]!;
  tmp1 = x[at + 5 * step]!;
  tmp2 = x[at + 3 * step]!;
  tmp3 = x[at + step]!;
  z1 = tmp0 + tmp3;
  z2 = tmp1 + tmp2;
  z3 = tmp0 + tmp2;
  let z4 = tmp1 + tmp3;
  const z5 = (z3 + z4) * FIX_1_175875602;
  tmp0 *= FIX_0_298631336;
  tmp1 *= FIX_2_053119869;
  tmp2 *= FIX_3_072711026;
  tmp3 *= FIX_1_501321110;
  z1 *= -FIX_0_899976223;
  z2 *= -FIX_2_562915447;
  z3 = z3 * -FIX_1_961570560 + z5;
  z4 = z4 * -FIX_0_390180644 + z5;
  tmp0 += z1 + z3;
  tmp1 += z2 + z4;
  tmp2 += z2 + z3;
  tmp3 += z1 + z4;
  const t = IDCT_OUT;
  t[0] = tmp10 + tmp3;
  t[7] = tmp10 - tmp3;
  t[1] = tmp11 + tmp2;
  t[6] = tmp11 - tmp2;
  t[2] = tmp12 + tmp1;
  t[5] = tmp12 - tmp1;
  t[3] = tmp13 + tmp0;
  t[4] = tmp13 - tmp0;
}

/** DESCALE(x, 18) + 128, clamped to a byte (libjpeg's range limit; its SIMD IDCT saturates the same way). */
function clampSample(x: number): number {
  const v = Math.floor((x + 131072) / 262144) + 128;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** libjpeg's fancy upsampling of one chroma plane to full size, then YCbCr -> RGB (or gray replicated). */
function toRgb(components: Component[], width: number, height: number, alpha: 'drop' | 'keep' | 'add'): FastJpeg {
  const channels: 3 | 4 = alpha === 'add' ? 4 : 3;
  const out = new Uint8Array(width * height * channels);
  const y = components[0]!;
  const ys = y.bw * 8;
  if (components.length === 1) {
    for (let r = 0, o = 0; r < height; r++) {
      for (let x = 0; x < width; x++) {
        const v = y.plane[r * ys + x]!;
        out[o++] = v;
        out[o++] = v;
        out[o++] = v;
        if (channels === 4) out[o++] = 255;
      }
    }
    return { width, height, data: out, channels, gray: true };
  }
  const cb = upsample(components[1]!, y.h, y.v, width, height);
  const cr = upsample(components[2]!, y.h, y.v, width, height);
  for (let r = 0, o = 0, i = 0; r < height; r++) {
    const row = r * ys;
    for (let x = 0; x < width; x++, i++) {
      const l = y.plane[row + x]!;
      const u = cb[i]!;
      const v = cr[i]!;
      out[o++] = clampByte(l + CR_R[v]!);
      out[o++] = clampByte(l + ((CB_G[u]! + CR_G[v]!) >> 16));
      out[o++] = clampByte(l + CB_B[u]!);
      if (channels === 4) out[o++] = 255;
    }
  }
  return { width, height, data: out, channels, gray: false };
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * A chroma plane at full resolution (width x height), as libjpeg's jdsample.c: h2v1, h1v2 and
 * h2v2 "fancy" triangle filters, edge rows and columns replicated.
 */
function upsample(c: Component, h: number, v: number, width: number, height: number): Uint8Array {
  const stride = c.bw * 8;
  const src = c.plane;
  const cw = c.width;
  const ch = c.height;
  const out = new Uint8Array(width * height);
  const rowAt = (r: number) => Math.min(Math.max(r, 0), ch - 1) * stride;
  const line = new Int32Array(cw); // vertically filtered sums (x 4 when v = 2)
  const wide = new Uint8Array(2 * cw);
  for (let r = 0; r < height; r++) {
    const sr = v === 2 ? r >> 1 : r;
    const near = rowAt(sr);
    let row: Uint8Array | Int32Array;
    if (v === 2) {
      const far = rowAt(r & 1 ? sr + 1 : sr - 1);
      for (let x = 0; x < cw; x++) line[x] = 3 * src[near + x]! + src[far + x]!;
      row = line;
    } else row = src.subarray(near, near + cw);
    if (h === 1) {
      const bias = r & 1 ? 2 : 1;
      for (let x = 0; x < width; x++) out[r * width + x] = v === 2 ? (row[x]! + bias) >> 2 : row[x]!;
      continue;
    }
    if (v === 2) {
      wide[0] = (row[0]! * 4 + 8) >> 4;
      wide[1] = (row[0]! * 3 + row[1]! + 7) >> 4;
      for (let x = 1; x < cw - 1; x++) {
        wide[2 * x] = (row[x]! * 3 + row[x - 1]! + 8) >> 4;
        wide[2 * x + 1] = (row[x]! * 3 + row[x + 1]! + 7) >> 4;
      }
      wide[2 * cw - 2] = (row[cw - 1]! * 3 + row[cw - 2]! + 8) >> 4;
      wide[2 * cw - 1] = (row[cw - 1]! * 4 + 7) >> 4;
    } else {
      wide[0] = row[0]!;
      wide[1] = (row[0]! * 3 + row[1]! + 2) >> 2;
      for (let x = 1; x < cw - 1; x++) {
        wide[2 * x] = (row[x]! * 3 + row[x - 1]! + 1) >> 2;
        wide[2 * x + 1] = (row[x]! * 3 + row[x + 1]! + 2) >> 2;
      }
      wide[2 * cw - 2] = (row[cw - 1]! * 3 + row[cw - 2]! + 1) >> 2;
      wide[2 * cw - 1] = row[cw - 1]!;
    }
    out.set(wide.subarray(0, width), r * width);
  }
  return out;
}
