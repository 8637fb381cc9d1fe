// Our WebAssembly SIMD kernels (AssemblyScript in ../assembly, compiled into ./generated) run on the
// tfjs wasm backend's own memory: they read and write tensors where the backend keeps them, no copy.
import { instantiateWasm } from '@omnitrain/core';
import type { WasmMemory } from '@omnitrain/core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from './wasm-backend.js';

interface EmscriptenModule {
  asm?: { memory?: WasmMemory };
}

const instances = new WeakMap<object, Map<string, Record<string, unknown>>>();

/**
 * The `WebAssembly.Memory` of the tfjs wasm backend (its emscripten heap). It is one object for the
 * backend's lifetime: when the heap grows, its `buffer` changes but a module instantiated on it sees
 * the grown memory.
 *
 * @example
 * const memory = backendMemory(tf.backend() as BackendWasm);
 */
export function backendMemory(backend: BackendWasm): WasmMemory {
  const memory = (backend.wasm as unknown as EmscriptenModule).asm?.memory;
  if (memory === undefined || typeof memory.grow !== 'function') {
    throw new Error('wasm-kernels: the tfjs wasm backend exposes no WebAssembly.Memory (wasm.asm.memory)');
  }
  return memory;
}

/**
 * The instance of a generated SIMD module (`base64` from `./generated/<name>-wasm.ts`) on `backend`'s
 * heap, made once per backend and module.
 *
 * @example
 * const { convBackpropFilter } = simdModule<ConvExports>(backend, convBackpropFilterWasmBase64);
 */
export function simdModule<T>(backend: BackendWasm, base64: string): T {
  let byBackend = instances.get(backend);
  if (byBackend === undefined) instances.set(backend, (byBackend = new Map()));
  let exports = byBackend.get(base64);
  if (exports === undefined) {
    exports = instantiateWasm(base64, backendMemory(backend));
    byBackend.set(base64, exports);
  }
  return exports as T;
}

/**
 * The byte offset of `info`'s data in the wasm heap (what a SIMD kernel takes as a pointer).
 *
 * @example
 * kernel(heapOffset(backend, x), heapOffset(backend, out), n);
 */
export function heapOffset(backend: BackendWasm, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error('wasm-kernels: tensor data is not on the wasm backend');
  return data.memoryOffset;
}
