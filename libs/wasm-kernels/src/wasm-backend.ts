// How our kernels talk to the tfjs wasm backend: read and write tensors in the wasm heap, and
// run the backend's own (shipped) kernels, including the ones we replace, as building blocks.
import { getKernel } from '@tensorflow/tfjs-core';
import type {
  DataType,
  KernelConfig,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tiledTransposeFits, transposeCopy } from './transpose-copy.js';

export type { BackendWasm };

/** The shipped kernels, captured before {@link registerWasmTrainingKernels} replaces any of them. */
const shipped = new Map<string, KernelConfig>();
/** Which shipped kernels have run their setup (a `cwrap`) on which backend instance. */
const setUp = new WeakMap<object, Set<string>>();

/** Remembers the wasm backend's own kernel `name` (once), so it stays callable after we replace it. */
export function captureShippedKernel(name: string): void {
  if (shipped.has(name)) return;
  const config = getKernel(name, 'wasm');
  if (config !== undefined) shipped.set(name, config);
}

/** The shipped kernel `name` as captured by {@link captureShippedKernel}, if any. */
export function shippedKernel(name: string): KernelConfig | undefined {
  return shipped.get(name);
}

/**
 * Runs the wasm backend's own kernel `name` on `backend`: `BatchMatMul` (XNNPACK when neither
 * operand is transposed and both batch sizes are 1), `Conv2D` (XNNPACK), `Transpose`, ...
 * Returns a tensor in the wasm heap that the caller owns (dispose it with {@link dispose}).
 */
export function runShipped(
  name: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = shipped.get(name) ?? getKernel(name, 'wasm');
  if (config === undefined) throw new Error(`wasm-kernels: the wasm backend has no kernel "${name}"`);
  let done = setUp.get(backend);
  if (done === undefined) setUp.set(backend, (done = new Set()));
  if (!done.has(name)) {
    // A kernel we replaced never gets its setup from tf.setBackend; run it on first use.
    config.setupFunc?.(backend);
    done.add(name);
  }
  return config.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/** Frees a tensor that a kernel made for its own use. */
export function dispose(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * A view of `info` with another shape, sharing its data (no copy, no reference count):
 * never dispose a view, dispose the tensor it views.
 */
export function view(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** Transposes a float32 or int32 tensor (tiled JS, {@link transposeCopy}); the caller owns the result. */
export function transpose(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  if ((x.dtype !== 'float32' && x.dtype !== 'int32') || !tiledTransposeFits(x.shape, perm)) {
    return runShipped('Transpose', backend, { x }, { perm });
  }
  const out = alloc(backend, perm.map((p) => x.shape[p]!), x.dtype, false);
  transposeCopy(backend.typedArrayFromHeap(x) as Float32Array, x.shape, perm, backend.typedArrayFromHeap(out) as Float32Array);
  return out;
}

/** The float32 data of `info` in the wasm heap. Fetch views after the last allocation: heap growth detaches them. */
export function f32(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** A new tensor in the wasm heap, filled with zeros when `zero` (fresh heap memory is not cleared). */
export function alloc(backend: BackendWasm, shape: number[], dtype: DataType, zero: boolean): TensorInfo {
  const out = backend.makeOutput(shape, dtype);
  if (zero) backend.typedArrayFromHeap(out).fill(0);
  return out;
}

/** A tensor in NHWC layout for a kernel's use, and how to free it when the kernel is done. */
export interface ChannelsLast {
  /** The NHWC tensor: the input itself, or a transposed copy of an NCHW input. */
  info: TensorInfo;
  /** Frees the copy, if one was made. */
  release(): void;
}

/** `x` in NHWC: itself when `dataFormat` is `channelsLast`, else a transposed copy. */
export function toChannelsLast(
  backend: BackendWasm,
  x: TensorInfo,
  dataFormat: 'channelsFirst' | 'channelsLast',
): ChannelsLast {
  if (dataFormat === 'channelsLast') return { info: x, release: () => {} };
  const info = transpose(backend, x, [0, 2, 3, 1]);
  return { info, release: () => dispose(backend, info) };
}
