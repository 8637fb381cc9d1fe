import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { allowedCores, boundArgv, coreBinding, launchLocal, parseCoreList } from '@omnitrain/distributed';

const rand = (k: number): number => Math.floor(Math.random() * k);

describe('core binding', () => {
  it('parses Linux core lists against a set built by hand', () => {
    for (let trial = 0; trial < 20; trial++) {
      const want = new Set<number>();
      const parts: string[] = [];
      for (let k = 0; k < 1 + rand(4); k++) {
        const a = rand(64);
        const b = a + rand(4);
        parts.push(a === b ? String(a) : `${a}-${b}`);
        for (let c = a; c <= b; c++) want.add(c);
      }
      expect(parseCoreList(parts.join(','))).toEqual([...want].sort((x, y) => x - y));
    }
    for (const bad of ['a', '3-1', '1-', '0,,x']) expect(() => parseCoreList(bad)).toThrow(ConfigError);
  });

  it('cuts the allowed cores into equal contiguous blocks, and refuses to stack workers', () => {
    for (let trial = 0; trial < 20; trial++) {
      const allowed = [...new Set(Array.from({ length: 1 + rand(16) }, () => rand(64)))].sort((a, b) => a - b);
      const nproc = 1 + rand(6);
      const plan = coreBinding(nproc, allowed);
      if (nproc > allowed.length) {
        expect(plan).toBeUndefined();
        continue;
      }
      const per = Math.floor(allowed.length / nproc);
      expect(plan).toHaveLength(nproc);
      expect(plan!.flat()).toEqual(allowed.slice(0, per * nproc)); // in order, no core twice
      for (const block of plan!) expect(block).toHaveLength(per);
    }
    expect(() => coreBinding(0, [0])).toThrow(ConfigError);
    expect(boundArgv(['node', 'x.js'], [2, 3])).toEqual(['taskset', '-c', '2,3', 'node', 'x.js']);
    expect(boundArgv(['node', 'x.js'], [])).toEqual(['node', 'x.js']);
  });

  it('launchLocal with bindCores: each worker runs on its own block (read back from /proc/self/status)', async () => {
    const allowed = allowedCores();
    const nproc = Math.min(2, allowed.length);
    const plan = coreBinding(nproc, allowed);
    let text = '';
    const out = new PassThrough();
    out.on('data', (d: Buffer) => (text += d.toString()));
    const script = "const s = require('fs').readFileSync('/proc/self/status', 'utf8'); console.log(process.env.RANK + ' ' + /Cpus_allowed_list:\\s*(\\S+)/.exec(s)[1])";
    await launchLocal({ nproc, command: process.execPath, args: ['-e', script], bindCores: true, stdout: out });
    const seen = new Map(text.trim().split('\n').map((l) => /^\[rank \d+\] (\d+) (\S+)$/.exec(l)!).map((m) => [Number(m[1]), parseCoreList(m[2]!)]));
    expect(seen.size).toBe(nproc);
    // Without taskset (or with more workers than cores) every worker keeps this process's cores.
    for (let r = 0; r < nproc; r++) expect(seen.get(r)).toEqual(plan ? plan[r] : allowed);
  });
});
