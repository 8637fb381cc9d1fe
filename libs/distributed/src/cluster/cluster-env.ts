import { ConfigError } from '@omnitrain/core';

/** What a worker learns from its environment: who it is and where the rendezvous is. */
export interface ClusterEnv {
  /** Global rank, 0-based (RANK or SLURM_PROCID). */
  readonly rank: number;
  /** Number of ranks (WORLD_SIZE or SLURM_NTASKS). */
  readonly worldSize: number;
  /** Rank on this host, picks the GPU (LOCAL_RANK or SLURM_LOCALID). */
  readonly localRank: number;
  /** Host of rank 0's rendezvous socket (MASTER_ADDR, or the first host of SLURM_NODELIST). */
  readonly masterAddr: string;
  /** Port of the rendezvous socket (MASTER_PORT; under Slurm default {@link slurmMasterPort} of the job id). */
  readonly masterPort: number;
  /** Job id (OMNITRAIN_JOB_ID, else SLURM_JOB_ID, else `omnitrain`). */
  readonly jobId: string;
  /** Job secret (OMNITRAIN_JOB_SECRET), when set. */
  readonly jobSecret?: string;
  /** How many times the launcher restarted the group (OMNITRAIN_RESTART, default 0). */
  readonly restart: number;
  /** Which variables it came from. */
  readonly source: 'torchrun' | 'slurm';
}

/** Default MASTER_PORT under Slurm without a job id (torchrun's default). */
export const DEFAULT_MASTER_PORT = 29500;

/**
 * The rendezvous port of a Slurm job when MASTER_PORT is unset: every task of the job computes
 * the same one from SLURM_JOB_ID, two jobs sharing a node rarely collide (10000 job slots), and each
 * restart (OMNITRAIN_RESTART) gets another port, so a socket of the dead attempt is never in the way.
 * In [20000, 60000).
 *
 * @example
 * slurmMasterPort('4242', 0); // 20000 + (4242 % 10000) * 4 = 36968
 */
export function slurmMasterPort(jobId: string | undefined, restart: number): number {
  if (jobId === undefined || !/^\d+$/.test(jobId)) return DEFAULT_MASTER_PORT;
  return 20000 + (Number(jobId.slice(-6)) % 10000) * 4 + (restart % 4);
}

type Env = Readonly<Record<string, string | undefined>>;

function intVar(env: Env, name: string, min: number, fallback?: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    if (fallback !== undefined) return fallback;
    throw new ConfigError({
      op: 'readClusterEnv',
      expected: `environment variable ${name} (an integer >= ${min})`,
      received: 'nothing (unset)',
      where: name,
      hint: 'start workers with `omnitrain launch`, torchrun-style variables (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT) or srun',
    });
  }
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
    throw new ConfigError({ op: 'readClusterEnv', expected: `${name} to be an integer >= ${min}`, received: JSON.stringify(raw), where: name });
  }
  return n;
}

/**
 * Expands the first host of a Slurm node list: `node[03-05,07],gpu1` -> `node03`.
 *
 * @example
 * firstSlurmHost('gpu[12-15]'); // 'gpu12'
 */
export function firstSlurmHost(nodelist: string): string {
  const m = /^([^,[]+)(?:\[([^\]]+)\])?/.exec(nodelist.trim());
  if (!m || !m[1]) {
    throw new ConfigError({ op: 'readClusterEnv', expected: 'SLURM_NODELIST like `node[01-04]` or `a,b`', received: JSON.stringify(nodelist), where: 'SLURM_NODELIST' });
  }
  if (m[2] === undefined) return m[1];
  const first = m[2].split(',')[0]!.split('-')[0]!;
  return `${m[1]}${first}`;
}

/**
 * Reads this worker's place in the job from the environment: torchrun-style variables (RANK,
 * WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT) when RANK is set, else Slurm's (SLURM_PROCID,
 * SLURM_NTASKS, SLURM_LOCALID, first host of SLURM_NODELIST; MASTER_PORT default from SLURM_JOB_ID); plus
 * OMNITRAIN_JOB_ID, OMNITRAIN_JOB_SECRET and OMNITRAIN_RESTART.
 *
 * @param env The environment; default `process.env`.
 * @throws ConfigError naming the missing or invalid variable.
 * @example
 * const { rank, worldSize } = readClusterEnv({ RANK: '1', WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: '29500' });
 */
export function readClusterEnv(env: Env = process.env): ClusterEnv {
  const slurm = env['RANK'] === undefined && env['SLURM_PROCID'] !== undefined;
  const rank = slurm ? intVar(env, 'SLURM_PROCID', 0) : intVar(env, 'RANK', 0);
  const worldSize = slurm ? intVar(env, 'SLURM_NTASKS', 1) : intVar(env, 'WORLD_SIZE', 1);
  if (rank >= worldSize) {
    throw new ConfigError({
      op: 'readClusterEnv',
      expected: `${slurm ? 'SLURM_PROCID' : 'RANK'} < ${slurm ? 'SLURM_NTASKS' : 'WORLD_SIZE'} (${worldSize})`,
      received: String(rank),
      where: slurm ? 'SLURM_PROCID' : 'RANK',
    });
  }
  const localRank = slurm ? intVar(env, 'SLURM_LOCALID', 0, 0) : intVar(env, 'LOCAL_RANK', 0, rank);
  const masterAddr = env['MASTER_ADDR'] || (slurm && env['SLURM_NODELIST'] ? firstSlurmHost(env['SLURM_NODELIST']) : undefined);
  if (!masterAddr) {
    throw new ConfigError({
      op: 'readClusterEnv',
      expected: `environment variable MASTER_ADDR${slurm ? ' or SLURM_NODELIST' : ''}`,
      received: 'nothing (unset)',
      where: 'MASTER_ADDR',
      hint: 'set MASTER_ADDR to the host of rank 0 (127.0.0.1 on one host)',
    });
  }
  const restart = intVar(env, 'OMNITRAIN_RESTART', 0, 0);
  const masterPort = intVar(env, 'MASTER_PORT', 1, slurm ? slurmMasterPort(env['SLURM_JOB_ID'], restart) : undefined);
  if (masterPort > 65535) {
    throw new ConfigError({ op: 'readClusterEnv', expected: 'MASTER_PORT in [1, 65535]', received: String(masterPort), where: 'MASTER_PORT' });
  }
  const secret = env['OMNITRAIN_JOB_SECRET'];
  return {
    rank,
    worldSize,
    localRank,
    masterAddr,
    masterPort,
    jobId: env['OMNITRAIN_JOB_ID'] || env['SLURM_JOB_ID'] || 'omnitrain',
    ...(secret ? { jobSecret: secret } : {}),
    restart,
    source: slurm ? 'slurm' : 'torchrun',
  };
}
