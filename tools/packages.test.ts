// Every lib is a package that plain Node can import through its built `exports` (the public door),
// and nothing else of it: deep imports are blocked. Runs after `nx run-many -t build`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const libs = readdirSync(join(root, 'libs')).filter((n) => existsSync(join(root, 'libs', n, 'package.json')));

function importInNode(specifier: string): { status: number | null; stdout: string; stderr: string } {
  const script = `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Names exported by src/index.ts, read from the TypeScript source (values only, not types). */
function sourceExports(lib: string): string[] {
  const src = readFileSync(join(root, 'libs', lib, 'src', 'index.ts'), 'utf8');
  const names: string[] = [];
  for (const m of src.matchAll(/^export\s+(?!type\b)\{([^}]*)\}\s+from/gms)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()!.trim();
      if (name && !name.startsWith('type ')) names.push(name);
    }
  }
  return names.sort();
}

describe('packages', () => {
  it('finds the libs', () => {
    expect(libs).toContain('core');
  });

  for (const lib of libs) {
    const pkg = JSON.parse(readFileSync(join(root, 'libs', lib, 'package.json'), 'utf8'));

    it(`@omnitrain/${lib}: plain Node imports the built package with every value export of src/index.ts`, () => {
      expect(pkg.name).toBe(`@omnitrain/${lib}`);
      expect(pkg.exports['.'].default).toBe('./dist/index.js');
      expect(pkg.exports['.'].types).toBe('./dist/index.d.ts');
      expect(existsSync(join(root, 'libs', lib, 'dist', 'index.d.ts'))).toBe(true);
      const r = importInNode(`@omnitrain/${lib}`);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(sourceExports(lib));
    });

    it(`@omnitrain/${lib}: deep imports are blocked`, () => {
      const r = importInNode(`@omnitrain/${lib}/src/index.js`);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
    });
  }

  it('nx sees every lib as a project', () => {
    const out = execFileSync(join(root, 'node_modules', '.bin', 'nx'), ['show', 'projects', '--json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    const projects: string[] = JSON.parse(out);
    for (const lib of libs) expect(projects).toContain(`@omnitrain/${lib}`);
  });
});
