import { checkChoice, checkNumber } from '../options/check-options.js';

/** Analysis windows: periodic Hann and Hamming (torch.hann_window / hamming_window defaults) and none. */
export type WindowKind = 'hann' | 'hamming' | 'rectangular';

/** The window kinds {@link windowFunction} knows. */
export const WINDOW_KINDS: readonly WindowKind[] = ['hann', 'hamming', 'rectangular'];

/**
 * A periodic analysis window of `length` points, as torch builds it by default (`periodic=True`:
 * the window of length + 1 points without its last one, the right choice for spectral analysis).
 *
 * @param kind `'hann'`, `'hamming'` or `'rectangular'` (all ones).
 * @param length Points, an integer >= 1.
 * @example windowFunction('hann', 4) // [0, 0.5, 1, 0.5]
 */
export function windowFunction(kind: WindowKind, length: number): Float64Array {
  checkChoice('audio.windowFunction', 'kind', kind, WINDOW_KINDS);
  checkNumber('audio.windowFunction', 'length', length, { min: 1, integer: true });
  const w = new Float64Array(length).fill(1); // a 1-point window is [1], as in torch
  if (length === 1) return w;
  for (let i = 0; i < length; i++) {
    const phase = (2 * Math.PI * i) / length;
    w[i] = kind === 'hann' ? 0.5 - 0.5 * Math.cos(phase) : kind === 'hamming' ? 0.54 - 0.46 * Math.cos(phase) : 1;
  }
  return w;
}
