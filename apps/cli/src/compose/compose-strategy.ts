import { ELASTIC_ADDR_ENV, dataParallelStrategy, elasticStrategy, readClusterEnv, ZmqCollective } from '@omnitrain/distributed';
import { singleProcessStrategy } from '@omnitrain/engine';
import type { Strategy } from '@omnitrain/engine';
import type { RunConfig } from '../config/run-config.js';

/** The strategy of this process and its place in the job. */
export interface ComposedStrategy {
  strategy: Strategy;
  rank: number;
  worldSize: number;
}

/**
 * Picks how this process cooperates with others, the one place that chooses a transport: the
 * single-process strategy, or — when started as a worker of a job (RANK / WORLD_SIZE from
 * `omnitrain launch` or torchrun-style variables, or SLURM_PROCID under srun) with more than one
 * rank — the data-parallel strategy over a ZeroMQ collective joined through the rendezvous; with
 * OMNITRAIN_ELASTIC_ADDR (`omnitrain launch --elastic`), the elastic strategy over the launcher's
 * membership service.
 *
 * @param config The run config (`distributed.dataParallel` tunes the strategy).
 * @param env The environment. Default `process.env`.
 * @throws ConfigError for malformed variables, DistributedError when the rendezvous fails.
 *
 * @example
 * const { strategy, rank, worldSize } = await composeStrategy(run.config);
 */
export async function composeStrategy(config: RunConfig, env: NodeJS.ProcessEnv = process.env): Promise<ComposedStrategy> {
  if (env['RANK'] === undefined && env['SLURM_PROCID'] === undefined) {
    return { strategy: singleProcessStrategy(), rank: 0, worldSize: 1 };
  }
  const cluster = readClusterEnv(env);
  if (env[ELASTIC_ADDR_ENV] !== undefined) {
    // An elastic worker (`omnitrain launch --elastic`): its place comes from the launcher's membership
    // service at the Trainer's first regroup; RANK / WORLD_SIZE are provisional until then.
    const advertise = env['OMNITRAIN_ADVERTISE_ADDR'];
    const strategy = elasticStrategy({
      env,
      dataParallel: config.distributed.dataParallel,
      provisional: { rank: cluster.rank, worldSize: cluster.worldSize },
      collective: { ...(cluster.jobSecret === undefined ? {} : { jobSecret: cluster.jobSecret }), ...(advertise ? { advertiseAddr: advertise } : {}) },
    });
    return { strategy, rank: cluster.rank, worldSize: cluster.worldSize };
  }
  if (cluster.worldSize === 1) return { strategy: singleProcessStrategy(), rank: 0, worldSize: 1 };
  const collective = await ZmqCollective.fromEnv(env);
  return {
    strategy: dataParallelStrategy(collective, config.distributed.dataParallel),
    rank: cluster.rank,
    worldSize: cluster.worldSize,
  };
}
