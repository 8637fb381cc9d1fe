import { z } from 'zod';
import { dataParallelOptionsSchema } from '@omnitrain/distributed';

/**
 * The `distributed:` section of a run: how many data-parallel workers `omnitrain launch` starts and
 * how often it restarts the group after a failure, whether it binds workers to cores, and whether the
 * group is elastic (min:max live workers). `--nproc`, `--max-restarts` and `--elastic` override it.
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
    elastic: z
      .strictObject({
        min: z.int().min(1).describe('Fewest live workers the group trains with; below it the launcher restarts the whole group from the last checkpoint.'),
        max: z.int().min(1).describe('Most live workers: the launcher spawns replacements (which join between steps) while fewer live.'),
      })
      .optional()
      .describe(
        'Elastic training (`omnitrain launch --elastic min:max` overrides it): a failed worker is dropped and the survivors regroup ' +
          'without restarting (rolling back to the last step every rank committed), replacements join up to max; min <= nproc <= max. Default: off.',
      ),
    dataParallel: dataParallelOptionsSchema
      .prefault({})
      .describe('The data-parallel strategy of launched workers: gradient buckets, replica checks, collective deadlines.'),
  })
  .superRefine((d, ctx) => {
    if (!d.elastic) return;
    if (d.elastic.min > d.elastic.max) ctx.addIssue({ code: 'custom', path: ['elastic', 'max'], message: `expected max >= min (${d.elastic.min}), got ${d.elastic.max}` });
    else if (d.nproc < d.elastic.min || d.nproc > d.elastic.max) ctx.addIssue({ code: 'custom', path: ['nproc'], message: `expected nproc within elastic min:max (${d.elastic.min}:${d.elastic.max}), got ${d.nproc}` });
  })
  .describe('Data-parallel launch: workers per host, restarts, elastic min:max, the strategy\'s options.');

/** A validated distributed section, defaults filled in. */
export type DistributedConfig = z.output<typeof distributedConfigSchema>;
