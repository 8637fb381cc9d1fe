import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { BackendError } from '@omnitrain/core';
import {
  TRAINING_KERNELS,
  assertKernels,
  explainKernelError,
  missingKernels,
  registerWasmTrainingKernels,
} from '@omnitrain/wasm-kernels';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('missingKernels / assertKernels', () => {
  it('before registering, names exactly the training kernels wasm lacks', () => {
    expect(missingKernels()).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'Einsum',
      'UnsortedSegmentSum',
    ]);
    expect(() => assertKernels(undefined, { where: 'model cnn' })).toThrow(BackendError);
  });

  it('after registering, finds none missing on wasm; other names and backends still report', () => {
    registerWasmTrainingKernels();
    expect(missingKernels()).toEqual([]);
    expect(() => assertKernels()).not.toThrow();
    expect(missingKernels(['Conv2D', 'NoSuchKernel', 'NoSuchKernel'])).toEqual(['NoSuchKernel']);
    expect(missingKernels(['Conv2D'], 'no-such-backend')).toEqual(['Conv2D']);
    expect(TRAINING_KERNELS).toContain('UnsortedSegmentSum');
  });

  it('throws a BackendError naming each missing kernel and where it was needed', () => {
    let error: unknown;
    try {
      assertKernels(['Conv2D', 'RaggedGather', 'FFT'], { where: 'layer stft_1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toBe(
      'assertKernels: expected every kernel that training needs registered for backend "wasm", got no kernel RaggedGather, FFT (layer stft_1). ' +
        'Hint: call registerWasmTrainingKernels() from @omnitrain/wasm-kernels (initBackend does on wasm); a kernel it lacks too needs adding there',
    );
  });
});

describe('explainKernelError', () => {
  it("turns tfjs's missing-kernel error into a BackendError naming kernel, backend and layer", () => {
    let raw: unknown;
    try {
      tf.complex(tf.tensor1d([1]), tf.tensor1d([2])); // wasm has no Complex kernel
    } catch (e) {
      raw = e;
    }
    const explained = explainKernelError(raw, 'layer spectrogram');
    expect(explained).toBeInstanceOf(BackendError);
    expect((explained as BackendError).message).toMatch(
      /^tfjs\.runKernel: expected kernel Complex registered for backend "wasm", got none \(layer spectrogram\)\. Hint: /,
    );
    expect((explained as BackendError).cause).toBe(raw);
  });

  it('returns any other error unchanged', () => {
    const other = new RangeError('shapes differ');
    expect(explainKernelError(other)).toBe(other);
    expect(explainKernelError('a string')).toBe('a string');
  });
});
