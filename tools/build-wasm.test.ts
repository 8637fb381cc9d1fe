import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmMemory, instantiateWasm } from '@omnitrain/core';
import { buildWasm, compileWasm, exportNameOf, findWasmSources, generatedPathOf, recordedFingerprint, sourceFingerprint } from './build-wasm.mjs';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A throwaway `libs/<lib>/assembly/<name>.ts` tree holding `source`. */
function tree(name: string, source: string): string {
  const root = mkdtempSync(join(tmpdir(), 'build-wasm-test-'));
  dirs.push(root);
  mkdirSync(join(root, 'libs', 'demo', 'assembly'), { recursive: true });
  const file = join(root, 'libs', 'demo', 'assembly', `${name}.ts`);
  writeFileSync(file, source);
  return file;
}

const SAXPY = `
export function saxpy(n: i32, a: f32, x: usize, y: usize): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    v128.store(y + off, f32x4.add(v128.load(y + off), f32x4.mul(va, v128.load(x + off))));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(y + off, load<f32>(y + off) + a * load<f32>(x + off));
  }
}
`;

describe('build-wasm', () => {
  it('keeps every committed generated module in step with its AssemblyScript source', () => {
    // Every file records the fingerprint of what it was built from; one random source (a different
    // one each run) is compiled again in full and must give the committed bytes.
    const sources = findWasmSources();
    for (const source of sources) {
      expect(recordedFingerprint(generatedPathOf(source)), `${generatedPathOf(source)} is stale: run npm run build:wasm`).toBe(sourceFingerprint(source));
    }
    if (sources.length === 0) return;
    const logs: string[] = [];
    const picked = sources[Math.floor(Math.random() * sources.length)]!;
    expect(buildWasm({ sources: [picked], check: true, log: (l: string) => logs.push(l) }), logs.join('\n')).toEqual([]);
  }, 120_000);

  it('tells a changed source from its generated file by fingerprint', () => {
    const source = tree('finger', SAXPY);
    buildWasm({ sources: [source], log: () => {} });
    expect(recordedFingerprint(generatedPathOf(source))).toBe(sourceFingerprint(source));
    writeFileSync(source, SAXPY + '\nexport function one(): i32 { return 1; }\n');
    expect(recordedFingerprint(generatedPathOf(source))).not.toBe(sourceFingerprint(source));
  }, 60_000);

  it('tells a changed imported file from the generated file of the source that imports it', () => {
    const source = tree('uses-helper', `import { twice } from './shared/helper';\nexport function four(): i32 { return twice(2); }\n`);
    const helper = join(source, '..', 'shared', 'helper.ts');
    mkdirSync(join(helper, '..'), { recursive: true });
    writeFileSync(helper, 'export function twice(x: i32): i32 { return x * 2; }\n');
    buildWasm({ sources: [source], log: () => {} });
    expect(recordedFingerprint(generatedPathOf(source))).toBe(sourceFingerprint(source));
    writeFileSync(helper, 'export function twice(x: i32): i32 { return x + x; }\n');
    expect(recordedFingerprint(generatedPathOf(source))).not.toBe(sourceFingerprint(source));
    writeFileSync(source, `import { twice } from './shared/missing';\nexport function four(): i32 { return twice(2); }\n`);
    expect(() => sourceFingerprint(source)).toThrow(/imports '\.\/shared\/missing'/);
  }, 60_000);

  it('compiles a SIMD kernel that computes on the caller\'s memory like a JS oracle', () => {
    const source = tree('sax-py', SAXPY);
    buildWasm({ sources: [source], log: () => {} });
    const generated = generatedPathOf(source);
    expect(generated.endsWith(join('libs', 'demo', 'src', 'generated', 'sax-py-wasm.ts'))).toBe(true);
    const text = readFileSync(generated, 'utf8');
    const base64 = /'([^']*)'/g;
    const b64 = [...text.matchAll(base64)].map((m) => m[1]).join('');
    expect(text).toContain(`export const ${exportNameOf(source)} =`);
    const memory = createWasmMemory(1);
    const saxpy = instantiateWasm(b64, memory).saxpy as (n: number, a: number, x: number, y: number) => void;
    const n = 37 + Math.floor(Math.random() * 100);
    const a = Math.fround(Math.random() * 4 - 2);
    const x = new Float32Array(memory.buffer, 1024, n);
    const y = new Float32Array(memory.buffer, 1024 + 4 * n, n);
    x.set(x.map(() => Math.random() - 0.5));
    y.set(y.map(() => Math.random() - 0.5));
    const expected = y.map((v, i) => Math.fround(v + Math.fround(a * x[i])));
    saxpy(n, a, 1024, 1024 + 4 * n);
    expect(Array.from(y)).toEqual(Array.from(expected));
  }, 60_000);

  it('refuses a module with static data (it would overwrite the caller\'s memory)', () => {
    const source = tree('with-data', 'const TABLE: StaticArray<f32> = [1, 2, 3];\nexport function at(i: i32): f32 { return TABLE[i]; }\n');
    expect(() => compileWasm(source)).toThrow(/static data/);
  }, 60_000);

  it('reports the source path and asc\'s message on a compile error', () => {
    const source = tree('broken', 'export function f(): i32 { return undefinedName; }\n');
    expect(() => compileWasm(source)).toThrow(/asc failed on .*broken\.ts[\s\S]*undefinedName/);
  }, 60_000);
});
