// IEEE-754 half precision for the optional fp16 wire format (Node 20 has no Float16Array).

/**
 * Rounds float32 values to float16 bits (round to nearest even; overflow to infinity, NaN kept).
 *
 * @param src The values.
 * @param dst Where the 16-bit patterns go (same length); default a new array.
 * @example
 * const bits = toFloat16(Float32Array.of(1, 0.1)); // Uint16Array [0x3c00, 0x2e66]
 */
export function toFloat16(src: Float32Array, dst: Uint16Array = new Uint16Array(src.length)): Uint16Array {
  const u = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < u.length; i++) {
    const x = u[i]!;
    const sign = (x >>> 16) & 0x8000;
    const e = (x >>> 23) & 0xff;
    let m = x & 0x7fffff;
    let h: number;
    if (e === 255) h = 0x7c00 | (m ? 0x200 : 0);
    else {
      const exp = e - 112; // e - 127 + 15
      if (exp >= 31) h = 0x7c00;
      else if (exp <= 0) {
        if (exp < -10) h = 0;
        else {
          m |= 0x800000;
          const shift = 14 - exp;
          h = m >>> shift;
          const rem = m & ((1 << shift) - 1);
          const half = 1 << (shift - 1);
          if (rem > half || (rem === half && h & 1)) h++;
        }
      } else {
        h = (exp << 10) | (m >>> 13);
        const rem = m & 0x1fff;
        if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
      }
    }
    dst[i] = h | sign;
  }
  return dst;
}

let table: Float32Array | undefined;

function halfTable(): Float32Array {
  if (table) return table;
  table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >>> 10) & 0x1f;
    const m = h & 0x3ff;
    table[h] = e === 0 ? s * m * 2 ** -24 : e === 31 ? (m ? NaN : s * Infinity) : s * (1 + m / 1024) * 2 ** (e - 15);
  }
  return table;
}

/**
 * Widens float16 bits to float32 values.
 *
 * @example
 * fromFloat16(Uint16Array.of(0x3c00)); // Float32Array [1]
 */
export function fromFloat16(src: Uint16Array, dst: Float32Array = new Float32Array(src.length)): Float32Array {
  const t = halfTable();
  for (let i = 0; i < src.length; i++) dst[i] = t[src[i]!]!;
  return dst;
}

/** float32 <-> half conversions of the fp16 wire: {@link JS_HALF_CODEC}, or a `Float16Codec` (WebAssembly SIMD, the same bits). */
export interface HalfCodec {
  /** Rounds to half bits, to nearest even; `dst` default a new array. */
  encode(src: Float32Array, dst?: Uint16Array): Uint16Array;
  /** Widens half bits (exact); `dst` default a new array. */
  decode(src: Uint16Array, dst?: Float32Array): Float32Array;
}

/**
 * {@link toFloat16} and {@link fromFloat16} as a {@link HalfCodec}.
 *
 * @example
 * ringAllReduce(link, grads, 'sum', { seq, segmentElements, fp16: true, codec: JS_HALF_CODEC });
 */
export const JS_HALF_CODEC: HalfCodec = { encode: toFloat16, decode: fromFloat16 };
