import { checkChoice, checkNumber } from '../options/check-options.js';

/**
 * The DCT-II matrix that turns `nMels` log-mel values into `nMfcc` cepstral coefficients, as
 * `torchaudio.functional.create_dct`: entry (n, k) = cos(pi / nMels * (n + 0.5) * k), scaled to
 * be orthonormal with `norm: 'ortho'` (else doubled).
 *
 * @param nMfcc Coefficients kept, 1..nMels.
 * @param nMels Input bands.
 * @param norm `'ortho'` or null. Default `'ortho'`.
 * @returns `[nMels, nMfcc]`, row-major (`mfcc[k] = sum_n mel[n] * dct[n * nMfcc + k]`).
 * @example dctMatrix(13, 40) // Float64Array of 40 * 13
 */
export function dctMatrix(nMfcc: number, nMels: number, norm: 'ortho' | null = 'ortho'): Float64Array {
  const op = 'audio.dctMatrix';
  checkNumber(op, 'nMels', nMels, { min: 1, integer: true });
  checkNumber(op, 'nMfcc', nMfcc, { min: 1, max: nMels, integer: true });
  checkChoice(op, 'norm', norm, ['ortho', null] as const);
  const dct = new Float64Array(nMels * nMfcc);
  for (let n = 0; n < nMels; n++) {
    for (let k = 0; k < nMfcc; k++) {
      let v = Math.cos((Math.PI / nMels) * (n + 0.5) * k);
      if (norm === null) v *= 2;
      else v *= (k === 0 ? Math.SQRT1_2 : 1) * Math.sqrt(2 / nMels);
      dct[n * nMfcc + k] = v;
    }
  }
  return dct;
}
