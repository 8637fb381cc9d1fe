// The polyphase windowed-sinc filter of torchaudio.functional.resample, built once per
// (rates, width, rolloff, window) and cached, so repeated resampling of clips costs only the
// convolution.

/** The window of the sinc filter: Hann (torchaudio "sinc_interp_hann") or Kaiser. */
export type ResampleWindow = 'hann' | 'kaiser';

/** A built filter bank: `phases` filters of `taps` weights each, row-major. */
export interface SincResampleKernel {
  /** Input step between consecutive output blocks (the reduced source rate). */
  stride: number;
  /** Filters per block (the reduced target rate). */
  phases: number;
  /** Weights per filter: 2 * width + stride. */
  taps: number;
  /** Zero samples padded before the input. */
  width: number;
  /** `[phases, taps]` weights. */
  weights: Float64Array;
  /** `[phases, 2]`: the first and one past the last non-zero tap of each filter. */
  support: Int32Array;
}

const cache = new Map<string, SincResampleKernel>();
const CACHE_SIZE = 32;

/** The greatest common divisor of two positive integers. */
export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** What determines a kernel: the rates (integers, Hz) and the filter settings of `resample`. */
export interface SincKernelSpec {
  from: number;
  to: number;
  lowpassFilterWidth: number;
  rolloff: number;
  window: ResampleWindow;
  beta: number;
}

/**
 * The kernel for `from` -> `to` Hz, exactly as torchaudio computes it (in float64, rounded to
 * float32 as torchaudio's default dtype does), from the cache when built before.
 */
export function sincResampleKernel(spec: SincKernelSpec): SincResampleKernel {
  const key = JSON.stringify(spec);
  let kernel = cache.get(key);
  if (kernel === undefined) {
    kernel = buildKernel(spec);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, kernel);
  }
  return kernel;
}

function buildKernel({ from, to, lowpassFilterWidth, rolloff, window, beta }: SincKernelSpec): SincResampleKernel {
  const g = gcd(from, to);
  const stride = from / g;
  const phases = to / g;
  const baseFreq = Math.min(stride, phases) * rolloff;
  const width = Math.ceil((lowpassFilterWidth * stride) / baseFreq);
  const taps = 2 * width + stride;
  const weights = new Float64Array(phases * taps);
  const scale = baseFreq / stride;
  const i0Beta = besselI0(beta);
  for (let p = 0; p < phases; p++) {
    for (let k = 0; k < taps; k++) {
      // Time of input tap k relative to output phase p, in units of the filter's zero crossings.
      // The phase offset -p/phases is rounded to float32 as torchaudio's (torch.arange's default
      // dtype) is; without it outputs differ from torchaudio's by up to ~1e-5.
      let t = (Math.fround(-p / phases) + (k - width) / stride) * baseFreq;
      t = Math.min(lowpassFilterWidth, Math.max(-lowpassFilterWidth, t));
      const w =
        window === 'hann'
          ? Math.cos((t * Math.PI) / lowpassFilterWidth / 2) ** 2
          : besselI0(beta * Math.sqrt(1 - (t / lowpassFilterWidth) ** 2)) / i0Beta;
      const x = t * Math.PI;
      weights[p * taps + k] = Math.fround((x === 0 ? 1 : Math.sin(x) / x) * w * scale);
    }
  }
  // Taps past the clamp are zero (Hann) or ~1e-23 (Kaiser: sinc(6 pi) / I0(beta)); skipping them
  // changes outputs by far less than float32 rounding and saves most of the work when the
  // reduced source rate is large (441 taps for 44.1 -> 16 kHz, ~35 of them non-zero).
  const negligible = (w: number): boolean => Math.abs(w) < 1e-15;
  const support = new Int32Array(phases * 2);
  for (let p = 0; p < phases; p++) {
    let first = 0;
    let end = taps;
    while (first < end && negligible(weights[p * taps + first]!)) first++;
    while (end > first && negligible(weights[p * taps + end - 1]!)) end--;
    support[2 * p] = first;
    support[2 * p + 1] = end;
  }
  return { stride, phases, taps, width, weights, support };
}

/** The modified Bessel function of the first kind, order 0 (power series; exact to double precision for the betas used here). */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500 && term > sum * 1e-17; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}
