/** The dtypes stored as raw bits, which {@link widenToFloat32} decodes. */
export type PackedFloatDtype = 'F16' | 'BF16' | 'F8_E5M2' | 'F8_E4M3';

let f16Table: Float32Array | undefined;
let e4m3Table: Float32Array | undefined;

/**
 * Decodes the raw bits of a half-precision (F16), bfloat16 (BF16) or 8-bit float (F8_E5M2,
 * F8_E4M3 in its "fn" variant: no infinities, NaN only at S.1111.111) tensor to float32. Every value
 * of these formats is exactly representable in float32, so the conversion is exact.
 *
 * @example
 * widenToFloat32('F16', new Uint16Array([0x3c00, 0xc000])); // Float32Array [1, -2]
 */
export function widenToFloat32(dtype: PackedFloatDtype, bits: Uint8Array | Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  switch (dtype) {
    case 'BF16': {
      // bfloat16 is the upper half of a float32.
      const words = new Uint32Array(out.buffer);
      for (let i = 0; i < bits.length; i++) words[i] = bits[i]! << 16;
      return out;
    }
    case 'F16': {
      const table = halfTable();
      for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]!]!;
      return out;
    }
    case 'F8_E5M2': {
      // E5M2 is the upper byte of an F16.
      const table = halfTable();
      for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]! << 8]!;
      return out;
    }
    case 'F8_E4M3': {
      const table = (e4m3Table ??= buildTable(256, (b) => minifloat(b, 4, 3, false)));
      for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]!]!;
      return out;
    }
  }
}

function halfTable(): Float32Array {
  return (f16Table ??= buildTable(65536, (h) => minifloat(h, 5, 10, true)));
}

function buildTable(size: number, decode: (bits: number) => number): Float32Array {
  const table = new Float32Array(size);
  for (let b = 0; b < size; b++) table[b] = decode(b);
  return table;
}

/**
 * The value of a sign/exponent/mantissa float with IEEE-style bias and subnormals. With `ieee`, an
 * all-ones exponent means infinity or NaN; without it (E4M3 "fn"), only all-ones exponent and
 * mantissa is NaN and the rest of that binade holds ordinary numbers.
 */
function minifloat(bits: number, expBits: number, mantBits: number, ieee: boolean): number {
  const sign = bits >> (expBits + mantBits) ? -1 : 1;
  const exp = (bits >> mantBits) & ((1 << expBits) - 1);
  const mant = bits & ((1 << mantBits) - 1);
  const maxExp = (1 << expBits) - 1;
  const bias = (1 << (expBits - 1)) - 1;
  if (ieee && exp === maxExp) return mant ? NaN : sign * Infinity;
  if (!ieee && exp === maxExp && mant === (1 << mantBits) - 1) return NaN;
  if (exp === 0) return sign * mant * 2 ** (1 - bias - mantBits);
  return sign * (1 + mant / 2 ** mantBits) * 2 ** (exp - bias);
}
