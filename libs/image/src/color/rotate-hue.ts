// Per hue sector, which of (v, p, q, t) is red, green and blue (the HSV -> RGB hexcone).
const SECTORS = [[0, 3, 1], [2, 0, 1], [1, 0, 3], [1, 2, 0], [3, 1, 0], [0, 1, 2]] as const;

/**
 * Rotates one pixel's hue by `shift` turns in HSV space, keeping saturation and value: the
 * per-pixel arithmetic of `adjustHue`, shared with the fused crop-and-colour kernel so both give
 * the same values. Gray pixels (no hue) are written back unchanged.
 *
 * @param out Receives the new red, green and blue in `out[0..2]`.
 * @param r Red, in [0, 1].
 * @param g Green, in [0, 1].
 * @param b Blue, in [0, 1].
 * @param shift The rotation in turns, in [0, 1).
 * @example
 * const rgb = new Float64Array(3);
 * rotateHue(rgb, 1, 0, 0, 1 / 3); // rgb = [0, 1, 0]: red becomes green
 */
export function rotateHue(out: Float64Array, r: number, g: number, b: number, shift: number): void {
  const v = Math.max(r, g, b);
  const delta = v - Math.min(r, g, b);
  if (delta === 0) {
    out[0] = r;
    out[1] = g;
    out[2] = b;
    return;
  }
  const s = delta / v;
  let h = v === r ? (g - b) / delta : v === g ? (b - r) / delta + 2 : (r - g) / delta + 4; // in sixths, [-1, 5)
  h = (h / 6 + shift + 1) % 1;
  const index = Math.floor(h * 6);
  const f = h * 6 - index;
  const sector = SECTORS[index % 6]!;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  out[0] = pick(sector[0], v, p, q, t);
  out[1] = pick(sector[1], v, p, q, t);
  out[2] = pick(sector[2], v, p, q, t);
}

/** The `which`-th of (v, p, q, t). */
function pick(which: number, v: number, p: number, q: number, t: number): number {
  return which === 0 ? v : which === 1 ? p : which === 2 ? q : t;
}

/** A hue shift in degrees as turns in [0, 1) (a multiple of 360 is 0: the identity). */
export function hueTurns(degrees: number): number {
  return (((degrees % 360) + 360) % 360) / 360;
}
