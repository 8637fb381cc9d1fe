import { describe, expect, it } from 'vitest';
import { readClusterEnv, slurmMasterPort } from '@omnitrain/distributed';

const rand = (k: number): number => Math.floor(Math.random() * k);

describe('readClusterEnv', () => {
  it('reads torchrun variables', () => {
    const world = 2 + rand(30);
    const rank = rand(world);
    expect(readClusterEnv({ RANK: String(rank), WORLD_SIZE: String(world), LOCAL_RANK: '1', MASTER_ADDR: '10.0.0.5', MASTER_PORT: '29501', OMNITRAIN_JOB_ID: 'j', OMNITRAIN_JOB_SECRET: 'sss', OMNITRAIN_RESTART: '2' })).toEqual({
      rank, worldSize: world, localRank: 1, masterAddr: '10.0.0.5', masterPort: 29501, jobId: 'j', jobSecret: 'sss', restart: 2, source: 'torchrun',
    });
  });
  it('reads Slurm variables: first host of the node list, port from the job id and restart', () => {
    const job = 1 + rand(10_000_000);
    const restart = rand(9);
    const env = readClusterEnv({ SLURM_PROCID: '5', SLURM_NTASKS: '8', SLURM_LOCALID: '1', SLURM_NODELIST: 'gpu[07-09,12],cpu1', SLURM_JOB_ID: String(job), OMNITRAIN_RESTART: String(restart) });
    // Oracle: the documented formula, 20000 + (job % 10000) * 4 + restart % 4.
    expect(env).toMatchObject({ rank: 5, worldSize: 8, localRank: 1, masterAddr: 'gpu07', masterPort: 20000 + (job % 10000) * 4 + (restart % 4), jobId: String(job), restart, source: 'slurm' });
    expect(slurmMasterPort(String(job), restart)).toBe(env.masterPort);
    expect(slurmMasterPort(String(job), restart + 1)).not.toBe(env.masterPort); // a restart never reuses the port
    expect(readClusterEnv({ SLURM_PROCID: '0', SLURM_NTASKS: '1', SLURM_NODELIST: 'solo' })).toMatchObject({ masterAddr: 'solo', masterPort: 29500 });
    expect(readClusterEnv({ SLURM_PROCID: '0', SLURM_NTASKS: '1', SLURM_NODELIST: 'solo', SLURM_JOB_ID: '5', MASTER_PORT: '1234' }).masterPort).toBe(1234);
  });
  it('names the missing or invalid variable', () => {
    expect(() => readClusterEnv({})).toThrow(/RANK/);
    expect(() => readClusterEnv({ RANK: '0', MASTER_ADDR: 'h', MASTER_PORT: '1' })).toThrow(/WORLD_SIZE/);
    expect(() => readClusterEnv({ RANK: 'one', WORLD_SIZE: '2', MASTER_ADDR: 'h', MASTER_PORT: '1' })).toThrow(/RANK to be an integer >= 0, got "one"/);
    expect(() => readClusterEnv({ RANK: '2', WORLD_SIZE: '2', MASTER_ADDR: 'h', MASTER_PORT: '1' })).toThrow(/RANK < WORLD_SIZE/);
    expect(() => readClusterEnv({ RANK: '0', WORLD_SIZE: '2', MASTER_PORT: '1' })).toThrow(/MASTER_ADDR/);
    expect(() => readClusterEnv({ RANK: '0', WORLD_SIZE: '2', MASTER_ADDR: 'h', MASTER_PORT: '70000' })).toThrow(/MASTER_PORT in \[1, 65535\]/);
    expect(() => readClusterEnv({ RANK: '0', WORLD_SIZE: '2', MASTER_ADDR: 'h' })).toThrow(/MASTER_PORT/);
  });
});
