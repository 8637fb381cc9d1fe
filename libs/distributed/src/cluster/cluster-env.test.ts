import { describe, expect, it } from 'vitest';
import { readClusterEnv } from '@omnitrain/distributed';

const rand = (k: number): number => Math.floor(Math.random() * k);

describe('readClusterEnv', () => {
  it('reads torchrun variables', () => {
    const world = 2 + rand(30);
    const rank = rand(world);
    expect(readClusterEnv({ RANK: String(rank), WORLD_SIZE: String(world), LOCAL_RANK: '1', MASTER_ADDR: '10.0.0.5', MASTER_PORT: '29501', OMNITRAIN_JOB_ID: 'j', OMNITRAIN_JOB_SECRET: 'sss', OMNITRAIN_RESTART: '2' })).toEqual({
      rank, worldSize: world, localRank: 1, masterAddr: '10.0.0.5', masterPort: 29501, jobId: 'j', jobSecret: 'sss', restart: 2, source: 'torchrun',
    });
  });
  it('reads Slurm variables: first host of the node list, default port', () => {
    const env = readClusterEnv({ SLURM_PROCID: '5', SLURM_NTASKS: '8', SLURM_LOCALID: '1', SLURM_NODELIST: 'gpu[07-09,12],cpu1', SLURM_JOB_ID: '777' });
    expect(env).toMatchObject({ rank: 5, worldSize: 8, localRank: 1, masterAddr: 'gpu07', masterPort: 29500, jobId: '777', source: 'slurm' });
    expect(readClusterEnv({ SLURM_PROCID: '0', SLURM_NTASKS: '1', SLURM_NODELIST: 'solo' }).masterAddr).toBe('solo');
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
