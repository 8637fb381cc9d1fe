import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';
import { createWasmMemory, instantiateWasm } from '@omnitrain/core';
import type { WasmMemory } from '@omnitrain/core';
import { hueTurns } from '../color/rotate-hue.js';
import { cropColorWasmBase64 } from '../generated/crop-color-wasm.js';
import type { ColorStep } from '../color/color-jitter.js';
import { axisWeights } from '../geometry/axis-weights.js';
import type { AxisWeights } from '../geometry/axis-weights.js';
import type { CropBox } from '../geometry/crop-image.js';
import { resizeImage } from '../geometry/resize-image.js';

/** What {@link fusedCropColor} does, all drawn beforehand: the crop, the flip, the colour steps, the normalization. */
export interface CropColorPlan {
  /** Output height in pixels. */
  height: number;
  /** Output width in pixels. */
  width: number;
  /** The source region, inside the image. */
  box: CropBox;
  /** Antialiased shrinking, as resizeImage's option. */
  antialias: boolean;
  /** Mirror left to right after resizing. */
  flip: boolean;
  /** Colour adjustments, in order. */
  color: readonly ColorStep[];
  /** Per-channel mean and std of a final normalization (3 each), or undefined for none. */
  normalize?: { mean: readonly number[]; std: readonly number[] };
}

const CODES = { brightness: 0, contrast: 1, saturation: 2, hue: 3 } as const;
// Parameter slots (i32 / f32 at params + 4 * index), as assembly/crop-color.ts reads them.
const P_SRC = 0;
const P_WIDTH = 1;
const P_HEIGHT = 2;
const P_COL_AT0 = 3;
const P_ROW_AT0 = 7;
const P_OUT = 11;
const P_TEMP = 12;
const P_STEPS = 13;
const P_CODES = 14;
const P_AMOUNTS = 18;
const P_MEAN = 22;
const P_STD = 25;
const P_NORMALIZE = 28;
const PARAMS_BYTES = 128;

interface CropColorKernel {
  firstPass(params: number, to: number, last: number): number;
  restPass(params: number, from: number, to: number, last: number, offset: number): number;
}

let memory: WasmMemory | undefined;
let kernel: CropColorKernel | undefined;

/** The module and its memory, made once per process and grown to at least `bytes`. */
function kernelWithMemory(bytes: number): { kernel: CropColorKernel; memory: WasmMemory } {
  if (memory === undefined || kernel === undefined) {
    memory = createWasmMemory(Math.ceil(bytes / 65536));
    kernel = instantiateWasm(cropColorWasmBase64, memory) as unknown as CropColorKernel;
  }
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
  return { kernel, memory };
}

/**
 * Resize a region, flip, colour-adjust and normalize an RGB image in one pass over the output
 * pixels (one more per contrast step, which needs the mean luma first), in a WebAssembly SIMD
 * kernel: compose's fast path for `randomResizedCrop -> randomHorizontalFlip -> colorJitter ->
 * normalize`. The kernel computes in float32 where the op-by-op chain computes in float64 and
 * stores float32, so values agree to about 1e-6. Enlarging (every random resized crop of an image
 * no bigger than the output) samples the 2x2 source neighbourhood directly; shrinking with
 * antialias resizes first (resizeImage), then runs the kernel on the result.
 *
 * @param image An RGB image (3 channels), not modified.
 * @param plan The drawn crop, flip, colour steps and normalization.
 * @returns A new `[height, width, 3]` image.
 * @example fusedCropColor(image, { height: 224, width: 224, box, antialias: true, flip: true, color: [{ op: 'hue', amount: 12 }] })
 */
export function fusedCropColor(image: FloatImage, plan: CropColorPlan): FloatImage {
  const { height, width, box, antialias } = plan;
  const [h, w] = image.shape;
  const cols = axisWeights(w, width, box.left, box.width, antialias);
  const rows = axisWeights(h, height, box.top, box.height, antialias);
  const direct = twoAtMost(cols) && twoAtMost(rows);
  // Shrinking: resize first, then sample the result one to one.
  const src = direct ? image.data : resizeImage(image, { height, width, box, antialias }).data;
  const srcWidth = direct ? w : width;
  const width4 = Math.ceil(width / 4) * 4;
  // A hue shift of a whole turn changes nothing (adjustHue skips it rather than round-trip HSV).
  const steps = plan.color.filter((s) => s.op !== 'hue' || hueTurns(s.amount) !== 0);
  const contrasts = steps.flatMap((s, i) => (s.op === 'contrast' ? [i] : []));

  const align = (n: number) => Math.ceil(n / 16) * 16;
  const tables = PARAMS_BYTES;
  const srcAt = tables + align(16 * width4 + 16 * height);
  const outAt = srcAt + align(src.length * 4 + 16);
  const tempAt = outAt + align(height * width * 12 + 64);
  const end = tempAt + (contrasts.length > 0 ? height * (width4 / 4) * 48 : 0);
  const { kernel, memory } = kernelWithMemory(end);
  const i32 = new Int32Array(memory.buffer);
  const f32 = new Float32Array(memory.buffer);

  const colAt = [tables, tables + 4 * width4, tables + 8 * width4, tables + 12 * width4];
  const rowAt = [0, 1, 2, 3].map((k) => tables + 16 * width4 + 4 * k * height);
  for (let x = 0; x < width4; x++) {
    const from = plan.flip ? width - 1 - x : x;
    let at0 = 0;
    let at1 = 0;
    let w0 = 0;
    let w1 = 0;
    if (x < width && direct) {
      const first = cols.first[from]!;
      const two = cols.count[from]! === 2;
      at0 = first * 12;
      at1 = (two ? first + 1 : first) * 12;
      w0 = cols.weights[from * cols.taps]!;
      w1 = two ? cols.weights[from * cols.taps + 1]! : 0;
    } else if (x < width) {
      at0 = at1 = from * 12;
      w0 = 1;
    }
    i32[colAt[0]! / 4 + x] = at0;
    i32[colAt[1]! / 4 + x] = at1;
    f32[colAt[2]! / 4 + x] = w0;
    f32[colAt[3]! / 4 + x] = w1;
  }
  for (let y = 0; y < height; y++) {
    const first = direct ? rows.first[y]! : y;
    const two = direct && rows.count[y]! === 2;
    i32[rowAt[0]! / 4 + y] = first * srcWidth * 12;
    i32[rowAt[1]! / 4 + y] = (two ? first + 1 : first) * srcWidth * 12;
    f32[rowAt[2]! / 4 + y] = direct ? rows.weights[y * rows.taps]! : 1;
    f32[rowAt[3]! / 4 + y] = two ? rows.weights[y * rows.taps + 1]! : 0;
  }
  f32.set(src, srcAt / 4);
  f32.fill(0, (srcAt + src.length * 4) / 4, (srcAt + src.length * 4 + 16) / 4);

  i32[P_SRC] = srcAt;
  i32[P_WIDTH] = width;
  i32[P_HEIGHT] = height;
  for (let k = 0; k < 4; k++) i32[P_COL_AT0 + k] = colAt[k]!;
  for (let k = 0; k < 4; k++) i32[P_ROW_AT0 + k] = rowAt[k]!;
  i32[P_OUT] = outAt;
  i32[P_TEMP] = tempAt;
  i32[P_STEPS] = steps.length;
  steps.forEach((s, k) => {
    // Hue: whole sixths of a turn in the code, the fraction of a sixth as the amount (float32 keeps it to 6e-8).
    const sixths = s.op === 'hue' ? hueTurns(s.amount) * 6 : 0;
    i32[P_CODES + k] = CODES[s.op] + 256 * Math.floor(sixths);
    f32[P_AMOUNTS + k] = s.op === 'hue' ? sixths - Math.floor(sixths) : s.amount;
  });
  const normalize = plan.normalize;
  i32[P_NORMALIZE] = normalize ? 1 : 0;
  for (let c = 0; c < 3; c++) {
    f32[P_MEAN + c] = normalize?.mean[c] ?? 0;
    f32[P_STD + c] = normalize?.std[c] ?? 1;
  }

  // Segments: [0, first contrast), then each contrast up to the next one (the last one normalizes).
  const bounds = [...contrasts, steps.length];
  let luma = kernel.firstPass(0, bounds[0]!, contrasts.length === 0 ? 1 : 0);
  for (let k = 0; k < contrasts.length; k++) {
    const from = contrasts[k]!;
    const offset = (1 - steps[from]!.amount) * (luma / (height * width));
    luma = kernel.restPass(0, from, bounds[k + 1]!, k === contrasts.length - 1 ? 1 : 0, offset);
  }
  const out = new Float32Array(height * width * 3);
  out.set(f32.subarray(outAt / 4, outAt / 4 + out.length));
  return floatImage([height, width, 3], out);
}

/** Whether every output pixel reads at most two source pixels along the axis (enlarging; rounding may add a third). */
function twoAtMost(axis: AxisWeights): boolean {
  if (axis.taps !== 3) return false;
  for (let i = 0; i < axis.count.length; i++) if (axis.count[i]! > 2) return false;
  return true;
}
