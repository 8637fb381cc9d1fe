import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { BackendError, ConfigError, initBackend, registerBackendSetup } from '@omnitrain/core';
import type { BackendInfo } from '@omnitrain/core';

/** Stands in for @tensorflow/tfjs-node-gpu, which cannot run without a GPU: records the env it saw. */
function fakeGpuImporter(seen: Array<string | undefined>, env: NodeJS.ProcessEnv) {
  return async (specifier: string): Promise<unknown> => {
    if (specifier !== '@tensorflow/tfjs-node-gpu') return import(specifier);
    seen.push(env['CUDA_VISIBLE_DEVICES']);
    tf.registerBackend('tensorflow', () => new MathBackendCPU());
    return {};
  };
}

afterEach(() => {
  if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
});

describe('initBackend', () => {
  it('falls through the order to the first backend installed here (wasm), saying why others were skipped', async () => {
    const warn = vi.spyOn(console, 'warn');
    const info = await initBackend({ env: {} });
    // A tfjs-node without its addon is not even imported (importing it registers every kernel,
    // then the next attempt warns "already registered" hundreds of times).
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('already registered'))).toEqual([]);
    warn.mockRestore();
    expect(info.name).toBe('wasm');
    expect(info.tfjsBackend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.tfjsVersion).toBe(tf.version_core);
    expect(info.device).toMatch(/^CPU \(wasm, (no )?SIMD, /);
    expect(info.skipped.map((s) => s.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
    // npm either drops tfjs-node (optional dependency) or installs it without its native addon.
    expect(info.skipped[1]!.reason).toMatch(
      /^package @tensorflow\/tfjs-node is (not installed|installed but its native addon is missing)/,
    );
    // The backend really computes.
    expect(Array.from(tf.add(tf.tensor1d([1.5, 2]), tf.scalar(1)).dataSync())).toEqual([2.5, 3]);
  });

  it('takes the backend named by OMNITRAIN_BACKEND or the options', async () => {
    expect((await initBackend({ env: { OMNITRAIN_BACKEND: 'cpu' } })).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await initBackend({ backend: 'wasm', env: { OMNITRAIN_BACKEND: 'cpu' } })).name).toBe('wasm');
    const order = await initBackend({ order: ['tensorflow', 'cpu', 'wasm'], env: {} });
    expect(order.name).toBe('cpu');
    expect(order.device).toBe('CPU (pure JS)');
  });

  it('says how to install a backend that was asked for but is missing', async () => {
    const attempt = initBackend({ backend: 'tensorflow', env: {} });
    await expect(attempt).rejects.toThrow(BackendError);
    await expect(initBackend({ backend: 'tensorflow', env: {} })).rejects.toThrow(
      /initBackend: expected backend "tensorflow" \(package @tensorflow\/tfjs-node\), got package @tensorflow\/tfjs-node is (not installed|installed but its native addon is missing).*Hint: install it with: npm install @tensorflow\/tfjs-node@4\.22\.0/,
    );
  });

  it('rejects an unknown backend name with a suggestion', async () => {
    await expect(initBackend({ env: { OMNITRAIN_BACKEND: 'wsam' } })).rejects.toThrow(ConfigError);
    await expect(initBackend({ env: { OMNITRAIN_BACKEND: 'wsam' } })).rejects.toThrow(/did you mean "wasm"/);
  });

  it('narrows CUDA_VISIBLE_DEVICES to the local rank\'s GPU before tfjs-node-gpu loads', async () => {
    const seen: Array<string | undefined> = [];
    const env: NodeJS.ProcessEnv = { CUDA_VISIBLE_DEVICES: '4,5,6', LOCAL_RANK: '1' };
    const info = await initBackend({ env, importModule: fakeGpuImporter(seen, env) });
    expect(info.name).toBe('tensorflow-gpu');
    expect(seen).toEqual(['5']);
    expect(info.device).toContain('GPU 5');

    const env2: NodeJS.ProcessEnv = {};
    await initBackend({ backend: 'tensorflow-gpu', localRank: 2, env: env2, importModule: fakeGpuImporter(seen, env2) });
    expect(seen).toEqual(['5', '2']);
  });

  it('refuses a local rank without a visible GPU', async () => {
    const env: NodeJS.ProcessEnv = { CUDA_VISIBLE_DEVICES: '0,1', LOCAL_RANK: '3' };
    const seen: Array<string | undefined> = [];
    await expect(
      initBackend({ backend: 'tensorflow-gpu', env, importModule: fakeGpuImporter(seen, env) }),
    ).rejects.toThrow(/a GPU for local rank 3, got CUDA_VISIBLE_DEVICES=0,1 \(2 devices\)/);
    expect(seen).toEqual([]);
  });

  it('runs the setups registered for the chosen backend', async () => {
    const calls: BackendInfo[] = [];
    registerBackendSetup('cpu', (info) => {
      calls.push(info);
    });
    await initBackend({ backend: 'wasm', env: {} });
    expect(calls).toHaveLength(0);
    const info = await initBackend({ backend: 'cpu', env: {} });
    expect(calls).toEqual([info]);
  });
});
