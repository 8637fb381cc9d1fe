import { createWasmMemory, instantiateWasm } from '@omnitrain/core';
import type { WasmMemory } from '@omnitrain/core';
import { logMelWasmBase64 } from '../generated/log-mel-wasm.js';
import { melFilterBank } from './mel-filter-bank.js';
import type { MelFilterBankConfig } from './mel-filter-bank.js';
import { smoothFactors } from './mixed-radix-fft.js';
import { padSignal } from './pad-signal.js';
import { sparseMelBands } from './sparse-mel-bands.js';
import type { SpectrogramConfig } from './spectrogram-transform.js';
import { windowFunction } from './window-function.js';

/** The exports of assembly/log-mel.ts. */
interface LogMelExports {
  melFrames(plan: number, signal: number, frames: number, out: number): number;
  clampBelow(data: number, n: number, floor: number): void;
}

/** The dB conversion fused into the kernel: `multiplier * log10(max(x, amin)) - offset`. */
export interface WasmDecibels {
  multiplier: number;
  amin: number;
  offset: number;
}

/** Plan header (i32 / f32 fields, see assembly/log-mel.ts), then 16 bytes per FFT stage. */
const PLAN_FIELDS = 20;
const STAGE_FIELDS = 4;
const PAGE = 65_536;
const SMALLEST_NORMAL_F32 = 2 ** -126;

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/**
 * The float32 WebAssembly SIMD path of the mel and log-mel transforms: four frames per f32x4 lane
 * group through windowing, a mixed-radix (4, 2, 3, 5) real FFT, power, the sparse mel product and
 * (with `db`) the logarithm, one call per clip. Tables are computed here in float64 and written
 * into the module's own memory; the padded signal is written there too, so a clip costs one copy
 * in and one out. Internal to the spectral code: the transforms choose it with `kernel: 'wasm'`
 * when {@link WasmMelKernel.supports} their settings and fall back to the float64 JS path otherwise.
 *
 * @example
 * const kernel = new WasmMelKernel(config, { multiplier: 10, amin: 1e-10, offset: 0 });
 * const db = kernel.apply(samples, frames, 80); // [frames, nMels], floored 80 dB below the peak
 */
export class WasmMelKernel {
  readonly #memory: WasmMemory;
  readonly #kernel: LogMelExports;
  readonly #config: SpectrogramConfig & MelFilterBankConfig;
  readonly #plan = 0;
  /** First free byte after the tables: the padded signal goes here, then the output. */
  readonly #dynamic: number;

  /**
   * Whether the kernel computes these settings: nFft a multiple of 4 whose half has no prime factor
   * above 5 (256, 400, 512, 1024, ...), power 1 or 2, and (with dB) amin a normal float32.
   */
  static supports(config: SpectrogramConfig, db: WasmDecibels | null = null): boolean {
    const factors = config.nFft % 4 === 0 ? smoothFactors(config.nFft / 2) : undefined;
    return (
      factors !== undefined &&
      factors.every((r) => r <= 5) &&
      (config.power === 1 || config.power === 2) &&
      (db === null || db.amin >= SMALLEST_NORMAL_F32)
    );
  }

  /**
   * @param config The STFT and filter-bank settings (resolved); {@link WasmMelKernel.supports} must hold.
   * @param db Fuse the dB conversion (log-mel), or null for mel power.
   */
  constructor(config: SpectrogramConfig & MelFilterBankConfig, db: WasmDecibels | null) {
    if (!WasmMelKernel.supports(config, db)) throw new RangeError(`WasmMelKernel: unsupported settings nFft=${config.nFft}, power=${config.power}`);
    this.#config = config;
    const { nFft, winLength, hopLength, window, power, normalized, nMels } = config;
    const points = nFft / 2;
    const bins = points + 1;
    const factors = smoothFactors(points)!;
    const bands = sparseMelBands(melFilterBank({ ...config, nFreqs: bins }));

    let end = align16(4 * (PLAN_FIELDS + STAGE_FIELDS * factors.length));
    const take = (bytes: number): number => {
      const at = end;
      end += align16(bytes);
      return at;
    };
    const split = take(8 * bins);
    const windowAt = take(4 * nFft);
    const firstAt = take(4 * nMels);
    const offsetAt = take(4 * (nMels + 1));
    const weightsAt = take(4 * bands.weights.length);
    const stageAt: number[] = [];
    let len = points;
    for (const radix of factors) {
      stageAt.push(take(8 * (len / radix) * (radix - 1)));
      len /= radix;
    }
    const bufA = take(32 * points);
    const bufB = take(32 * points);
    const powerAt = take(16 * bins);
    this.#dynamic = end;
    this.#memory = createWasmMemory(Math.ceil(end / PAGE) + 1);
    this.#kernel = instantiateWasm(logMelWasmBase64, this.#memory) as unknown as LogMelExports;

    const buffer = this.#memory.buffer;
    const i32 = new Int32Array(buffer);
    const f32 = new Float32Array(buffer);
    const w = windowFunction(window, winLength);
    const energy = w.reduce((s, v) => s + v * v, 0);
    const amplitude = normalized === 'window' ? 1 / Math.sqrt(energy) : normalized === 'frame-length' ? 1 / Math.sqrt(nFft) : 1;
    const header = [nFft, points, hopLength, factors.length, split, windowAt, nMels, firstAt, offsetAt, weightsAt, bufA, bufB, powerAt, power];
    i32.set(header, this.#plan / 4);
    f32[this.#plan / 4 + 14] = amplitude ** power;
    i32[this.#plan / 4 + 15] = db === null ? 0 : 1;
    f32[this.#plan / 4 + 16] = db === null ? 0 : db.multiplier / Math.LN10;
    f32[this.#plan / 4 + 17] = db === null ? 1 : db.amin;
    f32[this.#plan / 4 + 18] = db === null ? 0 : db.offset;
    len = points;
    let stride = 1;
    factors.forEach((radix, i) => {
      const m = len / radix;
      i32.set([radix, m, stride, stageAt[i]!], this.#plan / 4 + PLAN_FIELDS + STAGE_FIELDS * i);
      const tw = stageAt[i]! / 4;
      const count = m * (radix - 1);
      for (let p = 0; p < m; p++) {
        for (let u = 1; u < radix; u++) {
          const angle = (-2 * Math.PI * ((p * u) % len)) / len;
          f32[tw + p * (radix - 1) + u - 1] = Math.cos(angle);
          f32[tw + count + p * (radix - 1) + u - 1] = Math.sin(angle);
        }
      }
      len = m;
      stride *= radix;
    });
    for (let k = 0; k < bins; k++) {
      f32[split / 4 + k] = Math.cos((2 * Math.PI * k) / nFft);
      f32[split / 4 + bins + k] = -Math.sin((2 * Math.PI * k) / nFft);
    }
    f32.set(w, windowAt / 4 + Math.floor((nFft - winLength) / 2)); // centred, zeros around
    i32.set(bands.first, firstAt / 4);
    i32.set(bands.offset, offsetAt / 4);
    f32.set(bands.weights, weightsAt / 4);
  }

  /**
   * The `[frames, nMels]` mel power (or dB) values of one clip, in a fresh array.
   *
   * @param samples The signal (unpadded: padding and centring follow the config).
   * @param frames The frame count (SpectrogramTransform's `frameCount(samples.length)`).
   * @param topDb With dB: floor every value this many dB below the clip's maximum; null keeps all.
   */
  apply(samples: Float32Array, frames: number, topDb: number | null): Float32Array {
    const { nFft, hopLength, pad, center, padMode, nMels } = this.#config;
    if (frames === 0) return new Float32Array(0);
    const c = center ? Math.floor(nFft / 2) : 0;
    const padded = samples.length + 2 * (pad + c);
    // The last group of 4 frames reads 3 hops past the last frame: zeros there.
    const signalFloats = Math.max(padded, (frames + 3) * hopLength + nFft);
    const outAt = this.#dynamic + align16(4 * signalFloats);
    this.#reserve(outAt + 4 * frames * nMels);
    const buffer = this.#memory.buffer;
    const signal = new Float32Array(buffer, this.#dynamic, signalFloats);
    padSignal(samples, signal, pad, c, padMode === 'reflect');
    signal.fill(0, padded);
    const peak = this.#kernel.melFrames(this.#plan, this.#dynamic, frames, outAt);
    if (topDb !== null) this.#kernel.clampBelow(outAt, frames * nMels, Math.fround(peak - topDb));
    // A fresh array filled with `set` (a memcpy): `slice()` of a view on wasm memory ran ~10x slower
    // until V8 optimized the caller (after ~500 clips), which was most of the first epoch's cost.
    const out = new Float32Array(frames * nMels);
    out.set(new Float32Array(buffer, outAt, frames * nMels));
    return out;
  }

  /** Grows the memory to hold `bytes`. */
  #reserve(bytes: number): void {
    const have = this.#memory.buffer.byteLength;
    if (bytes > have) this.#memory.grow(Math.ceil((bytes - have) / PAGE));
  }
}
