import { describe, expect, it } from 'vitest';
import { distributedConfigSchema, EXIT_CODES } from '@omnitrain/cli';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';
import { writeTinyRun } from '../../test-fixtures/tiny-run.js';

const rand = (k: number): number => Math.floor(Math.random() * k);

describe('distributed.elastic', () => {
  it('is off by default; min <= nproc <= max is enforced, naming the field', () => {
    expect(distributedConfigSchema.parse({ nproc: 2 }).elastic).toBeUndefined();
    const min = 1 + rand(3);
    const max = min + rand(3);
    const nproc = min + rand(max - min + 1);
    expect(distributedConfigSchema.parse({ nproc, elastic: { min, max } }).elastic).toEqual({ min, max });
    const above = distributedConfigSchema.safeParse({ nproc: max + 1, elastic: { min, max } });
    expect(above.success).toBe(false);
    expect(above.error!.issues[0]!.path).toEqual(['nproc']);
    expect(above.error!.issues[0]!.message).toContain(`${min}:${max}`);
    const crossed = distributedConfigSchema.safeParse({ nproc: 1, elastic: { min: max + 1, max } });
    expect(crossed.error!.issues[0]!.path).toEqual(['elastic', 'max']);
    expect(distributedConfigSchema.safeParse({ nproc: 1, elastic: { min: 0, max: 1 } }).success).toBe(false);
    expect(distributedConfigSchema.safeParse({ nproc: 1, elastic: { min: 1, max: 1, extra: 1 } }).success).toBe(false);
  });

  it('omnitrain launch --elastic: a malformed range or an nproc outside it exits 2 before any worker starts', async () => {
    const tiny = await writeTinyRun(12);
    const malformed = await runOmnitrain(['launch', '--elastic', '3:2', tiny.config], { cwd: tiny.dir });
    expect(malformed.code).toBe(EXIT_CODES.config);
    expect(malformed.stderr).toContain('--elastic expects min:max with 1 <= min <= max, got "3:2"');
    const outside = await runOmnitrain(['launch', '--nproc', '1', '--elastic', '2:3', tiny.config], { cwd: tiny.dir });
    expect(outside.code, outside.stderr).toBe(EXIT_CODES.config);
    expect(outside.stderr).toContain('--elastic');
    expect(outside.stderr).toContain('nproc 1 (--nproc)');
    expect(outside.stderr).not.toContain('workers started');
    const hosts = await runOmnitrain(['launch', '--nproc', '2', '--elastic', '1:2', '--hostfile', 'hosts.txt', tiny.config], { cwd: tiny.dir });
    expect(hosts.code, hosts.stderr).toBe(EXIT_CODES.config);
    expect(hosts.stderr).toContain('--elastic on this host only');
  });
});
