/** Mel scales: HTK's `2595 log10(1 + f / 700)` and Slaney's (linear below 1 kHz, logarithmic above), as in torchaudio and librosa. */
export type MelScale = 'htk' | 'slaney';

const F_SP = 200 / 3; // Slaney: Hz per mel in the linear part
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

/**
 * Converts a frequency in Hz to mels.
 *
 * @param hz Frequency, >= 0.
 * @param scale `'htk'` or `'slaney'`. Default `'htk'`.
 * @example hzToMel(1000) // 999.99 (htk); hzToMel(1000, 'slaney') // 15
 */
export function hzToMel(hz: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
}

/**
 * Converts mels to a frequency in Hz (the inverse of {@link hzToMel}).
 *
 * @param mel Mels, >= 0.
 * @param scale `'htk'` or `'slaney'`. Default `'htk'`.
 * @example melToHz(hzToMel(440, 'slaney'), 'slaney') // 440
 */
export function melToHz(mel: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  return mel < MIN_LOG_MEL ? F_SP * mel : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
}
