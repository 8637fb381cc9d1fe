import { z } from 'zod';
import { dataParallelOptionsSchema } from '@omnitrain/distributed';

/**
 * The `distributed:` section of a run: how many data-parallel workers `omnitrain launch` starts and
 * how often it restarts the group after a failure. `--nproc` and `--max-restarts` override it.
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
    dataParallel: dataParallelOptionsSchema
      .prefault({})
      .describe('The data-parallel strategy of launched workers: gradient buckets, replica checks, collective deadlines.'),
  })
  .describe('Data-parallel launch: workers per host, restarts, the strategy\'s options.');

/** A validated distributed section, defaults filled in. */
export type DistributedConfig = z.output<typeof distributedConfigSchema>;
