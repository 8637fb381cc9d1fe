import { describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { WASM_TRAINING_KERNELS, batchMatMul, maxPoolGrad, registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';

describe('registerWasmTrainingKernels', () => {
  it('works after the wasm backend is initialized, replaces the shipped kernels, and is idempotent', async () => {
    await tf.setBackend('wasm');
    const shipped = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
    const warn = vi.spyOn(console, 'warn');
    const names = registerWasmTrainingKernels();
    expect(registerWasmTrainingKernels()).toEqual(names);
    expect(warn).not.toHaveBeenCalled(); // tfjs warns when a kernel name is registered twice
    warn.mockRestore();
    expect(names).toEqual(WASM_TRAINING_KERNELS.map((k) => k.kernelName));
    expect(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc).toBe(batchMatMul.kernelFunc);
    expect(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc).not.toBe(shipped);
    expect(tf.getKernel('MaxPoolGrad', 'wasm')!.kernelFunc).toBe(maxPoolGrad.kernelFunc);

    // The replaced shipped BatchMatMul still serves as our XNNPACK building block.
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const b = tf.tensor2d([1, 0, 2, 1, 0, 3], [3, 2]);
    expect(Array.from(tf.matMul(a, b, true, false).dataSync())).toEqual([7, 18, 10, 22]);
  });
});
