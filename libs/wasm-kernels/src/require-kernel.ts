import { getBackend, getKernel } from '@tensorflow/tfjs-core';
import { BackendError } from '@omnitrain/core';

/**
 * Throws a BackendError naming `op` and `kernel` unless the active backend has `kernel` registered:
 * the guard of the fused ops, which exist only on wasm with registerWasmTrainingKernels.
 *
 * @param op The fused op's name (`fusedGelu`). @param kernel The kernel it runs (`OmnitrainGelu`).
 * @param what What other backends do instead, for the hint (`GELU as separate ops`).
 * @example requireKernel('fusedGelu', GELU, 'GELU as separate ops');
 */
export function requireKernel(op: string, kernel: string, what: string): void {
  const backend = getBackend();
  if (getKernel(kernel, backend) !== undefined) return;
  throw new BackendError({
    op,
    expected: `kernel ${kernel} registered for backend "${backend}"`,
    received: 'none',
    hint: backend === 'wasm' ? 'call registerWasmTrainingKernels() first' : `use ${op} on wasm only; other backends run ${what}`,
  });
}
