import { z } from 'zod';
import { BACKEND_NAMES } from '../backend/backend-candidates.js';

/**
 * The schema of {@link RuntimeConfig}, the one config concern core owns: which compute backend
 * runs, the run's root seed and whether results must be reproducible. The CLI composes it into
 * the run config next to the other libs' concerns (`runtime:` in run.yaml).
 *
 * @example
 * runtimeConfigSchema.parse({ backend: 'wasm' });
 * // => { backend: 'wasm', seed: 0, deterministic: true }
 */
export const runtimeConfigSchema = z
  .strictObject({
    backend: z
      .enum(['auto', ...BACKEND_NAMES])
      .default('auto')
      .describe(
        'Compute backend: "auto" takes the first of tensorflow-gpu, tensorflow, wasm, cpu that ' +
          'loads; a name requires that backend and fails if it is missing. Default: "auto".',
      ),
    seed: z
      .int()
      .min(0)
      .default(0)
      .describe(
        'Root seed of the run: every random stream (weights, shuffling, augmentation, dropout) ' +
          'derives its own seed from it. Default: 0.',
      ),
    deterministic: z
      .boolean()
      .default(true)
      .describe(
        'Whether the run must give the same results for the same seed, preferring deterministic ' +
          'kernels and ordering over speed where a backend offers the choice. Default: true.',
      ),
  })
  .describe('Runtime: compute backend, seed and reproducibility.');

/**
 * Runtime settings of a run (parsed, defaults filled): `backend` (default `auto`), `seed`
 * (integer >= 0, default 0), `deterministic` (default true). See {@link runtimeConfigSchema}.
 */
export type RuntimeConfig = z.output<typeof runtimeConfigSchema>;
