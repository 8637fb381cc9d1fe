import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ConfigError } from '@omnitrain/core';
import { kubernetesManifest, parseHostfile, shellQuote, sshCommandLines } from '@omnitrain/distributed';

const rand = (k: number): number => Math.floor(Math.random() * k);

describe('parseHostfile', () => {
  it('reads `host slots=N` lines, comments and defaults', () => {
    const a = 1 + rand(8);
    expect(parseHostfile(`# cluster\nnode1 slots=${a}\n\n  node2   # one slot\nnode3 slots = 2\n`)).toEqual([
      { host: 'node1', slots: a },
      { host: 'node2', slots: 1 },
      { host: 'node3', slots: 2 },
    ]);
  });
  it('names the file and line of a bad entry', () => {
    expect(() => parseHostfile('a slots=2\nb slots=two', 'hosts.txt')).toThrow(/hosts\.txt:2/);
    expect(() => parseHostfile('a\na', 'h')).toThrow(ConfigError);
    expect(() => parseHostfile('# nothing', 'h')).toThrow(/at least one host/);
  });
});

describe('sshCommandLines', () => {
  it('numbers ranks host by host and gives every remote worker its variables', () => {
    const slots = [1 + rand(3), 1 + rand(3)];
    const hosts = parseHostfile(`gpu-a slots=${slots[0]}\ngpu-b slots=${slots[1]}`);
    const world = slots[0]! + slots[1]!;
    const lines = sshCommandLines({ hosts, command: 'node', args: ['apps/cli/dist/main.js', 'worker', "my run.yaml"], cwd: '/srv/omni', masterPort: 29511, jobId: 'j9', env: { OMNITRAIN_JOB_SECRET: "s3'cret" } });
    expect(lines).toHaveLength(world);
    lines.forEach((l, rank) => {
      const onA = rank < slots[0]!;
      expect(l.host).toBe(onA ? 'gpu-a' : 'gpu-b');
      expect(l.argv.slice(0, 4)).toEqual(['ssh', '-o', 'BatchMode=yes', l.host]);
      const remote = l.argv[4]!;
      expect(remote.startsWith('cd /srv/omni && exec env ')).toBe(true);
      expect(remote).toContain(`RANK=${rank} WORLD_SIZE=${world} LOCAL_RANK=${onA ? rank : rank - slots[0]!} MASTER_ADDR=gpu-a MASTER_PORT=29511 OMNITRAIN_JOB_ID=j9`);
      expect(remote).toContain(`OMNITRAIN_JOB_SECRET='s3'\\''cret'`);
      expect(remote.endsWith(`node apps/cli/dist/main.js worker 'my run.yaml'`)).toBe(true);
    });
  });
  it('shellQuote round-trips through a real shell', async () => {
    const { execFileSync } = await import('node:child_process');
    const s = `a b'c"d$e\\f${String.fromCharCode(65 + rand(26))}`;
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(s)}`]).toString()).toBe(s);
  });
});

describe('kubernetesManifest', () => {
  it('is YAML with a headless Service and an Indexed Job whose pods find rank 0', () => {
    const nproc = 2 + rand(6);
    const text = kubernetesManifest({ image: 'reg/omni:1', nproc, name: 'mm-run', command: ['node', 'worker.js'], resources: { cpu: '1', gpu: 1 } });
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, any>);
    expect(docs.map((d) => d['kind'])).toEqual(['Service', 'Job']);
    const [svc, job] = docs as [Record<string, any>, Record<string, any>];
    expect(svc['spec'].clusterIP).toBe('None');
    expect(svc['spec'].selector).toEqual({ 'job-name': 'mm-run' });
    expect(job['spec'].completionMode).toBe('Indexed');
    expect(job['spec'].completions).toBe(nproc);
    expect(job['spec'].parallelism).toBe(nproc);
    const pod = job['spec'].template.spec;
    expect(pod.subdomain).toBe('mm-run');
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env['RANK']).toEqual({ fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } });
    expect(env['WORLD_SIZE']).toBe(String(nproc));
    expect(env['MASTER_ADDR']).toBe('mm-run-0.mm-run');
    expect(env['OMNITRAIN_JOB_SECRET']).toEqual({ secretKeyRef: { name: 'mm-run-secret', key: 'secret' } });
    expect(pod.containers[0].resources.limits).toEqual({ cpu: '1', 'nvidia.com/gpu': 1 });
  });
  it('refuses a name that is not a DNS label', () => {
    expect(() => kubernetesManifest({ image: 'x', nproc: 2, name: 'Bad_Name', command: ['x'] })).toThrow(/DNS label/);
  });
});

