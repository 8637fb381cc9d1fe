/** The part of a `WebAssembly.Memory` the kernels need (typed here: Node 20's types lack WebAssembly). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

/** The exports of an instance: functions taking and returning numbers (byte offsets, sizes, scalars). */
export type WasmExports = Record<string, unknown>;

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: WasmExports };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const compiled = new Map<string, object>();

/**
 * Instantiates a WebAssembly module built by `tools/build-wasm.mjs` (base64 text from a lib's
 * `src/generated/<name>-wasm.ts`) on a memory the caller owns: the module has no memory or static data
 * of its own and works on byte offsets into `memory` (a fresh one from {@link createWasmMemory}, or the
 * TensorFlow.js wasm backend's heap to work on tensors in place). Compiled once per module.
 *
 * @example
 * const memory = createWasmMemory(16);
 * const kernels = instantiateWasm(logMelWasmBase64, memory) as { powerSpectrum(at: number, n: number): void };
 */
export function instantiateWasm(base64: string, memory: WasmMemory): WasmExports {
  let module = compiled.get(base64);
  if (module === undefined) {
    module = new wasm.Module(Buffer.from(base64, 'base64'));
    compiled.set(base64, module);
  }
  return new wasm.Instance(module, { env: { memory } }).exports;
}

/**
 * A fresh WebAssembly memory of `pages` 64 KiB pages (it can grow) for a module of
 * {@link instantiateWasm} that does not work on the TensorFlow.js heap.
 *
 * @example
 * const memory = createWasmMemory(4); // 256 KiB
 */
export function createWasmMemory(pages: number): WasmMemory {
  return new wasm.Memory({ initial: pages });
}
