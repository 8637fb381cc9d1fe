// The umbrella package registers every op's gradient (and the layers API) with tfjs-core; libs
// take tfjs-core as a peer, so the composition root is where this happens, once.
import '@tensorflow/tfjs';
import { initBackend, registerBackendSetup } from '@omnitrain/core';
import type { BackendInfo, BackendName } from '@omnitrain/core';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';

let registered = false;

/**
 * Chooses the compute backend for this process, the one place that does: registers the wasm
 * training kernels as the wasm backend's setup, then runs core's `initBackend` with the default
 * order (tensorflow-gpu, tensorflow, wasm, cpu) or the backend the run names. A worker gets its GPU
 * by LOCAL_RANK inside initBackend.
 *
 * @param backend `auto` or a backend name (`runtime.backend`; `OMNITRAIN_BACKEND` wins when set).
 * @returns What initBackend chose, for the run-start event and the summary.
 * @throws BackendError when a named backend is missing.
 *
 * @example
 * const info = await composeBackend(run.runtime.backend);
 * console.error(`backend: ${info.name} on ${info.device}`);
 */
export async function composeBackend(backend: BackendName | 'auto'): Promise<BackendInfo> {
  if (!registered) {
    registerBackendSetup('wasm', () => {
      registerWasmTrainingKernels();
    });
    registered = true;
  }
  const fromEnv = process.env['OMNITRAIN_BACKEND'];
  // A tfjs-node package without its native addon registers its kernels before failing to load, and
  // the next one warns once per kernel ("The kernel 'Add' for backend 'tensorflow' is already
  // registered"): hundreds of lines that say nothing, so they are dropped while backends are tried.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && /^The kernel '.+' for backend '.+' is already registered$/.test(args[0])) return;
    warn(...args);
  };
  try {
    return await initBackend(fromEnv ? {} : { backend });
  } finally {
    console.warn = warn;
  }
}
