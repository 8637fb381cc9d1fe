import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBoundaries, formatViolation, loadRules } from './check-boundaries.mjs';

const script = fileURLToPath(new URL('./check-boundaries.mjs', import.meta.url));
const repoRoot = dirname(dirname(script));
const LIBS = ['core', 'wasm-kernels', 'telemetry', 'data', 'image', 'audio', 'text', 'encoders', 'fusion',
  'optim', 'multimodal', 'engine', 'distributed', 'tune', 'compress', 'testing'];
const rules = loadRules();
const trees: string[] = [];
afterAll(() => trees.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

type Files = Record<string, string>;

/** A package.json for `@omnitrain/<name>` declaring `@omnitrain/<dep>` in each field. */
function manifest(name: string, fields: Record<string, string[]> = {}): string {
  const json: Record<string, unknown> = { name: `@omnitrain/${name}`, version: '0.1.0', type: 'module' };
  for (const [field, deps] of Object.entries(fields)) {
    json[field] = Object.fromEntries(deps.map((d) => [d.includes('/') ? d : `@omnitrain/${d}`, '0.1.0']));
  }
  return JSON.stringify(json, null, 2) + '\n';
}

/** Every project of the table with a door and a package.json declaring exactly what it may import. */
function baseTree(): Files {
  const files: Files = {};
  for (const [key, allowed] of Object.entries(rules.projects)) {
    const name = key.split('/')[1];
    const deps = allowed.includes('*') ? LIBS.filter((l) => l !== 'testing') : allowed;
    const dev = name === 'testing' ? [] : ['testing'];
    files[`${key}/package.json`] = manifest(name, { dependencies: deps, devDependencies: dev });
    files[`${key}/src/index.ts`] = `export const name = '${name}';\n`;
  }
  return files;
}

function writeTree(files: Files): string {
  const root = mkdtempSync(join(tmpdir(), 'boundaries-'));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function run(root: string) {
  const result = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** `file:line:col rule spec` for each violation, the column read off the planted text. */
function where(root: string, file: string, line: number, rule: string, spec: string): string {
  const text = readFileSync(join(root, file), 'utf8').split('\n')[line - 1] ?? '';
  const col = text.indexOf(spec); // 1-based column of the quote before the specifier
  return `${file}:${line}:${col} ${rule} ${spec}`;
}

const brief = (v: { file: string; line: number; col: number; rule: string; spec: string }) =>
  `${v.file}:${v.line}:${v.col} ${v.rule} ${v.spec}`;

interface Plant {
  name: string;
  files: Files;
  expected: [file: string, line: number, rule: string, spec: string][];
}

const plants: Plant[] = [
  {
    name: 'data importing @omnitrain/engine',
    files: { 'libs/data/src/batch.ts': `import { name } from '@omnitrain/core';\nimport { Trainer } from '@omnitrain/engine';\n` },
    expected: [['libs/data/src/batch.ts', 2, 'forbidden-import', '@omnitrain/engine']],
  },
  {
    name: 'image importing zeromq',
    files: { 'libs/image/src/decode.ts': `import sharp from 'sharp';\n\nimport { Push } from 'zeromq';\n` },
    expected: [['libs/image/src/decode.ts', 3, 'restricted-module', 'zeromq']],
  },
  {
    name: 'a deep import of core',
    files: { 'libs/data/src/x.ts': `// why: errors\nexport { ConfigError } from '@omnitrain/core/src/errors';\n` },
    expected: [['libs/data/src/x.ts', 2, 'deep-import', '@omnitrain/core/src/errors']],
  },
  {
    name: 'a relative import escaping the lib',
    files: { 'libs/data/src/nested/x.ts': `import { a } from '../local.js';\nimport { Trainer } from '../../../engine/src/trainer.js';\n` },
    expected: [['libs/data/src/nested/x.ts', 2, 'relative-escape', '../../../engine/src/trainer.js']],
  },
  {
    name: 'a type-only forbidden import',
    files: { 'libs/optim/src/types.ts': `import type { Trainer } from '@omnitrain/engine';\nexport type T = Trainer;\n` },
    expected: [['libs/optim/src/types.ts', 1, 'forbidden-import', '@omnitrain/engine']],
  },
  {
    name: 'a forbidden import type in a type position',
    files: { 'libs/fusion/src/t.ts': `export type Ds = import('@omnitrain/data').Dataset;\n` },
    expected: [['libs/fusion/src/t.ts', 1, 'forbidden-import', '@omnitrain/data']],
  },
  {
    name: 'a dynamic import',
    files: { 'libs/engine/src/load.ts': `export async function load() {\n  return import('@omnitrain/distributed');\n}\n` },
    expected: [['libs/engine/src/load.ts', 2, 'forbidden-import', '@omnitrain/distributed']],
  },
  {
    name: 'require() and import = require()',
    files: {
      'libs/fusion/src/r.ts': `import zmq = require('zeromq');\nconst tfn = require('@tensorflow/tfjs-node');\n`,
    },
    expected: [
      ['libs/fusion/src/r.ts', 1, 'restricted-module', 'zeromq'],
      ['libs/fusion/src/r.ts', 2, 'restricted-module', '@tensorflow/tfjs-node'],
    ],
  },
  {
    name: 'testing imported from non-test code',
    files: {
      'libs/engine/src/helpers.ts': `import { closeTo } from '@omnitrain/testing';\n`,
      'libs/engine/src/helpers.test.ts': `import { closeTo } from '@omnitrain/testing';\n`,
    },
    expected: [['libs/engine/src/helpers.ts', 1, 'test-only-import', '@omnitrain/testing']],
  },
  {
    name: 'a self import from non-test code (tests may use their own door)',
    files: {
      'libs/core/src/self.ts': `import { name } from '@omnitrain/core';\n`,
      'libs/core/src/self.test.ts': `import { name } from '@omnitrain/core';\n`,
    },
    expected: [['libs/core/src/self.ts', 1, 'self-import', '@omnitrain/core']],
  },
  {
    name: 'the tfjs umbrella in lib code (tests and apps may)',
    files: {
      'libs/optim/src/adam.ts': `import * as tf from '@tensorflow/tfjs';\n`,
      'libs/optim/src/adam.test.ts': `import * as tf from '@tensorflow/tfjs';\n`,
      'apps/cli/src/main.ts': `import * as tf from '@tensorflow/tfjs';\n`,
    },
    expected: [['libs/optim/src/adam.ts', 1, 'umbrella-tfjs', '@tensorflow/tfjs']],
  },
  {
    name: 'hono outside the dashboard, and dashboard importing engine',
    files: {
      'libs/telemetry/src/http.ts': `import { serve } from '@hono/node-server';\n`,
      'apps/dashboard/src/server.ts': `import { Hono } from 'hono';\nimport { Trainer } from '@omnitrain/engine';\n`,
    },
    expected: [
      ['apps/dashboard/src/server.ts', 2, 'forbidden-import', '@omnitrain/engine'],
      ['libs/telemetry/src/http.ts', 1, 'restricted-module', '@hono/node-server'],
    ],
  },
  {
    name: 'a JSDoc import type and a require in a .mjs file',
    files: { 'libs/text/src/tok.mjs': `const t = require('@huggingface/transformers');\n/** @type {import('@omnitrain/engine').Trainer} */\nlet x;\n` },
    expected: [['libs/text/src/tok.mjs', 2, 'forbidden-import', '@omnitrain/engine']],
  },
  {
    name: 'package.json declaring a package the code may not import',
    files: {
      'libs/data/package.json': manifest('data', { dependencies: ['core', 'engine'] }),
      'libs/text/package.json': manifest('text', { dependencies: ['core', 'testing'] }),
    },
    expected: [
      ['libs/data/package.json', 7, 'forbidden-dependency', '@omnitrain/engine'],
      ['libs/text/package.json', 7, 'forbidden-dependency', '@omnitrain/testing'],
    ],
  },
  {
    name: 'an import the package.json does not declare',
    files: {
      'libs/audio/package.json': manifest('audio', { dependencies: ['core'], devDependencies: ['data'] }),
      'libs/audio/src/a.test.ts': `import { name } from '@omnitrain/data';\n`,
      'libs/audio/src/b.ts': `import { name } from '@omnitrain/core';\nimport { name as d } from '@omnitrain/data';\n`,
      'libs/image/src/c.ts': `import { name } from '@omnitrain/data';\n`,
      'libs/image/package.json': manifest('image', { dependencies: ['core'] }),
    },
    expected: [
      ['libs/audio/src/b.ts', 2, 'missing-dependency', '@omnitrain/data'],
      ['libs/image/src/c.ts', 1, 'missing-dependency', '@omnitrain/data'],
    ],
  },
  {
    name: 'a project missing from the table',
    files: { 'libs/mystery/package.json': manifest('mystery'), 'libs/mystery/src/index.ts': `export {};\n` },
    expected: [['libs/mystery/package.json', 1, 'unknown-project', 'libs/mystery']],
  },
];

describe('checkBoundaries on planted violations', () => {
  it.each(plants)('catches $name', ({ files, expected }) => {
    const root = writeTree({ ...baseTree(), ...files });
    const { violations } = checkBoundaries(root);
    const want = expected.map(([file, line, rule, spec]) =>
      rule === 'unknown-project' ? `${file}:${line}:1 ${rule} ${spec}` : where(root, file, line, rule, spec));
    expect(violations.map(brief)).toEqual(want);
  });

  it('ignores specifiers inside comments and strings', () => {
    const root = writeTree({
      ...baseTree(),
      'libs/data/src/quiet.ts': `// import '@omnitrain/engine'\nconst s = "import('zeromq')";\n/* require('sharp') */\nexport { s };\n`,
    });
    expect(checkBoundaries(root).violations).toEqual([]);
  });
});

describe('check-boundaries as a process', () => {
  it('prints file:line:col, rule, allowed list and hint, and exits 1', () => {
    const root = writeTree({ ...baseTree(), ...Object.assign({}, ...plants.map((p) => p.files)) });
    const { status, output } = run(root);
    expect(status).toBe(1);
    expect(output).toContain(
      'libs/data/src/batch.ts:2:25  forbidden-import: data may not import "@omnitrain/engine" (allowed: core)\n    hint: ',
    );
    expect(output).toContain('libs/image/src/decode.ts:3:22  restricted-module: image may not import "zeromq" (allowed only in: libs/distributed)');
    expect(output).toContain('libs/engine/src/helpers.ts:1:25  test-only-import: engine may not import "@omnitrain/testing"');
    const total = plants.reduce((n, p) => n + p.expected.length, 0);
    expect(output).toMatch(new RegExp(`boundaries: \\d+ files, \\d+ imports checked, ${total} violations\n$`));
  });

  it('exits 0 on a clean tree of allowed imports, with the one-line summary', () => {
    const cliImports = LIBS.filter((l) => l !== 'testing').map((l, i) => `import { name as n${i} } from '@omnitrain/${l}';`);
    const root = writeTree({
      ...baseTree(),
      'libs/engine/src/trainer.ts': `import { name } from '@omnitrain/optim';\nimport type { name as d } from '@omnitrain/data';\n`,
      'libs/engine/src/trainer.test.ts': `import { closeTo } from '@omnitrain/testing';\nimport { name } from '@omnitrain/engine';\nimport * as tf from '@tensorflow/tfjs';\n`,
      'libs/distributed/src/ring-all-reduce.ts': `import { Push } from 'zeromq';\nimport { name } from '@omnitrain/engine';\nimport { x } from '../package.json';\n`,
      'libs/core/src/backend.ts': `import * as tf from '@tensorflow/tfjs-core';\nexport const load = () => import('@tensorflow/tfjs-node-gpu');\nimport { readFileSync } from 'node:fs';\nimport { join } from 'path';\n`,
      'libs/wasm-kernels/src/register.ts': `import '@tensorflow/tfjs-backend-wasm';\n`,
      'libs/encoders/src/text.ts': `import { pipeline } from '@huggingface/transformers';\nimport { name } from '@omnitrain/text';\n`,
      'apps/dashboard/src/server.tsx': `import { Hono } from 'hono';\nimport Database from 'better-sqlite3';\nimport { name } from '@omnitrain/telemetry';\nimport { name as c } from '@omnitrain/core';\nexport const App = () => <div />;\n`,
      'apps/cli/src/main.ts': `${cliImports.join('\n')}\nimport * as tf from '@tensorflow/tfjs';\n`,
    });
    const report = checkBoundaries(root);
    expect(report.violations.map(formatViolation)).toEqual([]);
    expect(report.imports).toBeGreaterThan(30);
    const { status, output } = run(root);
    expect(status).toBe(0);
    expect(output).toBe(`boundaries: ${report.files} files, ${report.imports} imports checked, 0 violations\n`);
  });

  it('refuses a --root that is not a directory', () => {
    const { status, output } = run(join(tmpdir(), 'no-such-omnitrain-root'));
    expect(status).toBe(2);
    expect(output).toContain('is not a directory');
  });
});

describe('the real repository', () => {
  it('has no boundary violations', () => {
    const report = checkBoundaries(repoRoot);
    expect(report.violations.map(formatViolation)).toEqual([]);
    expect(report.files).toBeGreaterThan(0);
  });

  it('lists every lib of ARCHITECTURE.md in the table', () => {
    expect(Object.keys(rules.projects).sort()).toEqual(
      [...LIBS.map((l) => `libs/${l}`), 'apps/cli', 'apps/dashboard'].sort(),
    );
  });
});

describe('ARCHITECTURE.md', () => {
  it('draws the same import table as tools/boundaries.json', () => {
    const text = readFileSync(join(repoRoot, 'ARCHITECTURE.md'), 'utf8');
    const section = text.split('## Which lib may import which')[1]!.split('```')[1]!;
    const drawn: Record<string, string[]> = {};
    for (const line of section.split('\n')) {
      if (!line.includes('->')) continue;
      const [left, right] = line.split('->').map((s) => s.replace(/\([^)]*\)/g, '').trim());
      const targets = right!
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s && !s.startsWith('@'))
        .map((s) => (s === 'any lib' ? '*' : s));
      for (const name of left!.split(',').map((s) => s.trim())) {
        drawn[name.includes('/') ? name : `libs/${name}`] = targets.sort();
      }
    }
    const table = Object.fromEntries(
      Object.entries(rules.projects as Record<string, string[]>).map(([k, v]) => [k, [...v].sort()]),
    );
    expect(drawn).toEqual(table);
  });
});
