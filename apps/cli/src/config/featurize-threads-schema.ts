import { z } from 'zod';

/**
 * `data.featurizeThreads`: how many worker threads decode and featurize the training samples, so
 * the first epoch does not wait for data on the training thread. `"auto"` = 1 when this host has
 * more cores than this run's worker processes on it (`LOCAL_WORLD_SIZE`, i.e. `distributed.nproc`,
 * when launched; 1 for a plain `train`), else 0. 0 = featurize on the training thread. Pretrained features always
 * use 0 (their extractors run on the training thread). Default 0: on the 2-core reference machine one
 * thread made the digits run slower (8.9 vs 7.8-8.4 s wall, load 1.2-1.7: booting a thread imports the
 * featurizer modules, ~1.2 s, and it shares the second core with the backend); use it with spare cores.
 *
 * @example
 * featurizeThreadsSchema.parse(undefined); // 0
 * featurizeThreadsSchema.parse(2); // 2
 */
export const featurizeThreadsSchema = z
  .union([z.int().min(0), z.literal('auto')])
  .default(0)
  .describe(
    'Worker threads that decode and featurize training samples (0 = on the training thread; "auto" = 1 when the host has a core more than the run\'s local worker processes, else 0; always 0 with pretrained features). Default 0.',
  );
