import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsChildArgs } from '@omnitrain/testing';

describe('registerTsPath', () => {
  it('lets a plain node child run TypeScript that imports TypeScript through ./x.js specifiers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omnitrain-testing-'));
    const k = Math.floor(Math.random() * 1000);
    writeFileSync(join(dir, 'lib.ts'), `export const twice = (n: number): number => n * 2;\nexport interface Unused { a: string }\n`);
    writeFileSync(join(dir, 'main.ts'), `import { twice } from './lib.js';\nimport type { Unused } from './lib.js';\nconst u: Unused | undefined = undefined;\nconsole.log(twice(${k}), u);\n`);
    for (let run = 0; run < 2; run++) {
      // The second run reads the transpiled files from the cache: same output.
      const r = spawnSync(process.execPath, tsChildArgs(join(dir, 'main.ts')), { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(`${k * 2} undefined`);
    }
  });
});
