/**
 * Writes `samples` with `pad` zeros, then `center` more samples (mirrored without repeating the
 * edge, numpy "reflect", or zeros), on both sides into `out[0 .. samples.length + 2 (pad + center))`:
 * the signal an STFT frames. Internal to the spectral code (the JS path pads into its own array,
 * the wasm path straight into the kernel's memory).
 *
 * @param samples The signal.
 * @param out Receives the padded signal; length >= samples.length + 2 (pad + center).
 * @param pad Zeros on each side first (torchaudio's `pad`).
 * @param center Samples added on each side next (nFft / 2 with `center`, else 0).
 * @param reflect Mirror the signal into the centre padding (`'reflect'`), else zeros.
 * @example
 * const out = new Float32Array(5 + 2 * 2);
 * padSignal(Float32Array.of(1, 2, 3, 4, 5), out, 0, 2, true); // [3, 2, 1, 2, 3, 4, 5, 4, 3]
 */
export function padSignal(samples: Float32Array, out: Float32Array, pad: number, center: number, reflect: boolean): void {
  const inner = samples.length + 2 * pad;
  const c = center;
  out.fill(0, 0, c + pad);
  out.set(samples, c + pad);
  out.fill(0, c + pad + samples.length, inner + 2 * c);
  if (c === 0 || !reflect || inner === 0) return;
  for (let i = 1; i <= c; i++) {
    out[c - i] = out[c + reflectIndex(i, inner)]!;
    out[c + inner - 1 + i] = out[c + reflectIndex(inner - 1 + i, inner)]!;
  }
}

/** Index `i` of a signal of `length` mirrored at both ends without repeating the edge (numpy "reflect", repeated when i runs past a whole period). */
function reflectIndex(i: number, length: number): number {
  if (length === 1) return 0;
  const period = 2 * (length - 1);
  const m = ((i % period) + period) % period;
  return m < length ? m : period - m;
}
