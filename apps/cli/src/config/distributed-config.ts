import { z } from 'zod';
import { dataParallelOptionsSchema } from '@omnitrain/distributed';

/**
 * The `distributed:` section of a run: how many data-parallel workers `omnitrain launch` starts and
 * how often it restarts the group after a failure, whether it binds workers to cores. `--nproc` and `--max-restarts` override it.
 *
 * @example
 * distributedConfigSchema.parse({ nproc: 2 }).maxRestarts; // 0
 */
export const distributedConfigSchema = z
  .strictObject({
    nproc: z.int().min(1).default(1).describe('Worker processes per host for `omnitrain launch` (one per core or GPU). Default 1.'),
    maxRestarts: z
      .int()
      .min(0)
      .default(0)
      .describe('Times the launcher restarts the whole group from the last checkpoint after a worker fails. Default 0.'),
    bindCores: z
      .enum(['auto', 'on', 'off'])
      .default('auto')
      .describe(
        'Bind each local worker to its own block of cores (taskset; equal contiguous blocks of the cores the launcher may use). ' +
          '"auto": when the workers fit on the cores and the backend is not a GPU one; "on": whenever they fit; "off": never. Default "auto".',
      ),
    dataParallel: dataParallelOptionsSchema
      .prefault({})
      .describe('The data-parallel strategy of launched workers: gradient buckets, replica checks, collective deadlines.'),
  })
  .describe('Data-parallel launch: workers per host, restarts, the strategy\'s options.');

/** A validated distributed section, defaults filled in. */
export type DistributedConfig = z.output<typeof distributedConfigSchema>;
