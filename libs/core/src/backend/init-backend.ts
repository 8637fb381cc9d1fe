import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BackendError, ConfigError } from '../errors.js';
import { nearest } from '../registry.js';
import { BACKEND_CANDIDATES, BACKEND_NAMES } from './backend-candidates.js';
import type { BackendCandidate, BackendName } from './backend-candidates.js';

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * The backend to use, or `auto` to take the first that loads from `order`.
   * Default: `process.env.OMNITRAIN_BACKEND`, else `auto`.
   */
  backend?: BackendName | 'auto';
  /** The order `auto` tries. Default: tensorflow-gpu, tensorflow, wasm, cpu. */
  order?: readonly BackendName[];
  /**
   * This worker's rank on its host. With the GPU backend, it picks the worker's GPU:
   * `CUDA_VISIBLE_DEVICES` is narrowed to that one device before tfjs-node-gpu loads.
   * Default: `process.env.LOCAL_RANK` (or `SLURM_LOCALID`), else none.
   */
  localRank?: number;
  /** Environment to read and write (`CUDA_VISIBLE_DEVICES`). Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Loads a backend package. Default: dynamic `import()`. Tests replace it to fake a GPU. */
  importModule?: (specifier: string) => Promise<unknown>;
}

/** What {@link initBackend} got. */
export interface BackendInfo {
  /** The Omnitrain backend name. */
  name: BackendName;
  /** The tfjs backend now active (`tf.getBackend()`). */
  tfjsBackend: string;
  /** The tfjs-core version in use. */
  tfjsVersion: string;
  /** The device, in words: `GPU 1 (CUDA_VISIBLE_DEVICES=1)`, `CPU (wasm, SIMD, 1 thread)`, ... */
  device: string;
  /** The backends tried before this one, and why each failed. */
  skipped: Array<{ name: BackendName; reason: string }>;
}

/** Work to do once a backend is active, e.g. registering the wasm training kernels. */
export type BackendSetup = (info: BackendInfo) => void | Promise<void>;

const setups = new Map<BackendName, BackendSetup[]>();

/**
 * Runs `setup` every time `initBackend` activates `backend` (and right away if it is active).
 * This is how a lib adds kernels to a backend without core depending on it.
 *
 * @example registerBackendSetup('wasm', () => registerWasmTrainingKernels());
 */
export function registerBackendSetup(backend: BackendName, setup: BackendSetup): void {
  setups.set(backend, [...(setups.get(backend) ?? []), setup]);
}

/**
 * Chooses the compute backend, once per process, at the composition root: the one named by
 * `options.backend` / `OMNITRAIN_BACKEND`, or the first of tensorflow-gpu, tensorflow, wasm, cpu
 * that loads. Throws a {@link BackendError} saying how to install a backend that was asked for
 * by name but is missing.
 *
 * @example
 * const info = await initBackend();           // auto
 * const wasm = await initBackend({ backend: 'wasm' });
 * console.log(`${wasm.name} on ${wasm.device}`);
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const env = options.env ?? process.env;
  const requested = parseBackendName(options.backend ?? env['OMNITRAIN_BACKEND'] ?? 'auto');
  const order = requested === 'auto' ? (options.order ?? BACKEND_NAMES) : [requested];
  const importModule = options.importModule ?? ((s: string) => import(s));
  const localRank = options.localRank ?? parseLocalRank(env);
  const skipped: BackendInfo['skipped'] = [];

  for (const name of order) {
    const candidate = BACKEND_CANDIDATES.find((c) => c.name === parseBackendName(name))!;
    try {
      if (candidate.name === 'tensorflow-gpu') assignGpu(env, localRank);
      // Importing a tfjs-node package whose addon is missing registers all its kernels before it
      // fails (hundreds of "already registered" warnings for the next one): look first.
      if (!options.importModule) assertNativeAddon(candidate.packageName);
      await importModule(candidate.packageName);
      if (!(await tf.setBackend(candidate.tfjsName))) {
        throw new Error(`tf.setBackend("${candidate.tfjsName}") returned false`);
      }
      await tf.ready();
    } catch (error) {
      const reason = describeLoadFailure(candidate, error);
      if (requested !== 'auto') {
        throw new BackendError({
          op: 'initBackend',
          expected: `backend "${candidate.name}" (package ${candidate.packageName})`,
          received: reason,
          hint: `install it with: ${candidate.install}${candidate.packageName.includes('tfjs-node') ? `, allowing its install script (package.json "allowScripts": { "${candidate.packageName}": true }, then npm rebuild ${candidate.packageName})` : ''}; or choose another backend (${BACKEND_NAMES.join(', ')}) with OMNITRAIN_BACKEND or --backend`,
          cause: error,
        });
      }
      skipped.push({ name: candidate.name, reason });
      continue;
    }
    const info: BackendInfo = {
      name: candidate.name,
      tfjsBackend: tf.getBackend(),
      tfjsVersion: tf.version_core,
      device: describeDevice(candidate.name, env),
      skipped,
    };
    for (const setup of setups.get(candidate.name) ?? []) await setup(info);
    return info;
  }
  throw new BackendError({
    op: 'initBackend',
    expected: `one of the backends ${order.join(', ')} to load`,
    received: skipped.map((s) => `${s.name}: ${s.reason}`).join('; ') || 'an empty order',
    hint: `install one of them, e.g. ${BACKEND_CANDIDATES[2]!.install}`,
  });
}

function parseBackendName(value: string): BackendName | 'auto' {
  if (value === 'auto' || (BACKEND_NAMES as readonly string[]).includes(value)) {
    return value as BackendName | 'auto';
  }
  const near = nearest(value, ['auto', ...BACKEND_NAMES]);
  throw new ConfigError({
    op: 'initBackend',
    expected: `backend auto, ${BACKEND_NAMES.join(', ')}`,
    received: JSON.stringify(value),
    hint: near ? `did you mean "${near}"?` : 'set OMNITRAIN_BACKEND or --backend to one of these',
  });
}

function parseLocalRank(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env['LOCAL_RANK'] ?? env['SLURM_LOCALID'];
  if (raw === undefined || raw === '') return undefined;
  const rank = Number(raw);
  if (!Number.isInteger(rank) || rank < 0) {
    throw new ConfigError({
      op: 'initBackend',
      expected: 'LOCAL_RANK to be an integer >= 0',
      received: JSON.stringify(raw),
    });
  }
  return rank;
}

/**
 * Narrows CUDA_VISIBLE_DEVICES to the GPU of this local rank, before libtensorflow reads it.
 * If the variable already lists devices, the rank indexes into that list (rank 1 of "4,5,6" -> "5").
 */
function assignGpu(env: NodeJS.ProcessEnv, localRank: number | undefined): void {
  if (localRank === undefined) return;
  const listed = env['CUDA_VISIBLE_DEVICES']?.split(',').map((s) => s.trim()).filter(Boolean);
  if (listed && listed.length > 0) {
    if (localRank >= listed.length) {
      throw new BackendError({
        op: 'initBackend',
        expected: `a GPU for local rank ${localRank}`,
        received: `CUDA_VISIBLE_DEVICES=${env['CUDA_VISIBLE_DEVICES']} (${listed.length} devices)`,
        hint: 'start at most one worker per visible GPU on each host',
      });
    }
    env['CUDA_VISIBLE_DEVICES'] = listed[localRank]!;
  } else {
    env['CUDA_VISIBLE_DEVICES'] = String(localRank);
  }
}

/**
 * Throws an error `describeLoadFailure` reads as "addon missing" when `packageName` is a tfjs-node
 * package that is installed without its native addon (`lib/napi-v<N>/tfjs_binding.node`); does
 * nothing for other packages or when the package is not installed (the import reports that).
 */
function assertNativeAddon(packageName: string): void {
  if (!packageName.includes('tfjs-node')) return;
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve(`${packageName}/package.json`));
  } catch {
    return;
  }
  const lib = join(root, 'lib');
  const found = existsSync(lib) && readdirSync(lib).some((d) => d.startsWith('napi-v') && existsSync(join(lib, d, 'tfjs_binding.node')));
  if (!found) throw new Error(`${packageName}: ${join(lib, 'napi-v*', 'tfjs_binding.node')} not found`);
}

function describeLoadFailure(candidate: BackendCandidate, error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = e?.message ?? String(error);
  if (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    message.includes(candidate.packageName)
  ) {
    return `package ${candidate.packageName} is not installed`;
  }
  if (/tfjs_binding\.node|libtensorflow/.test(message)) {
    return `package ${candidate.packageName} is installed but its native addon is missing (its install script did not run or could not download libtensorflow)`;
  }
  return message.split('\n')[0]!;
}

function describeDevice(name: BackendName, env: NodeJS.ProcessEnv): string {
  switch (name) {
    case 'tensorflow-gpu':
      return `GPU ${env['CUDA_VISIBLE_DEVICES'] ?? 'all'} (libtensorflow, CUDA_VISIBLE_DEVICES=${env['CUDA_VISIBLE_DEVICES'] ?? ''})`;
    case 'tensorflow':
      return 'CPU (libtensorflow)';
    case 'wasm': {
      const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
      const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'threads' : '1 thread';
      return `CPU (wasm, ${simd}, ${threads})`;
    }
    case 'cpu':
      return 'CPU (pure JS)';
  }
}
