#!/usr/bin/env node
// Compiles every AssemblyScript kernel source `libs/<lib>/assembly/<name>.ts` into a WebAssembly SIMD
// module and writes it, base64-encoded, to `libs/<lib>/src/generated/<name>-wasm.ts`, so the libs ship
// their wasm inside their JavaScript (same bytes from src and dist, no file lookup at run time).
//
//   node tools/build-wasm.mjs            compile all, rewrite the generated files
//   node tools/build-wasm.mjs --check    compile all, fail if a generated file differs (CI test)
//   node tools/build-wasm.mjs libs/audio/assembly/log-mel.ts   one source only
//
// Every module is compiled the same way: SIMD on, -O3, no runtime, no assertions, memory imported
// (`env.memory`): the caller owns all memory and passes byte offsets. A module must not own static
// data (a data segment would overwrite whatever the caller keeps at those addresses, e.g. the
// TensorFlow.js wasm heap): the build fails if one appears. Keep constants in locals or pass tables in.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The asc flags every module is built with (part of the generated file's header). */
export const ASC_FLAGS = ['-O3', '--enable', 'simd', '--runtime', 'stub', '--importMemory', '--noAssert',
  '--use', 'abort=', '--noExportMemory'];

/**
 * Every `libs/<lib>/assembly/<name>.ts` source (tests and `*.d.ts` excluded), sorted.
 * @param {string} [root] The repository root.
 * @returns {string[]}
 */
export function findWasmSources(root = repoRoot) {
  /** @type {string[]} */
  const out = [];
  for (const lib of readdirSync(join(root, 'libs')).sort()) {
    const dir = join(root, 'libs', lib, 'assembly');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts')) out.push(join(dir, file));
    }
  }
  return out;
}

/**
 * `libs/x/assembly/log-mel.ts` -> `libs/x/src/generated/log-mel-wasm.ts`.
 * @param {string} source
 * @returns {string}
 */
export function generatedPathOf(source) {
  return join(dirname(dirname(source)), 'src', 'generated', `${basename(source, '.ts')}-wasm.ts`);
}

/**
 * `log-mel` -> `logMelWasmBase64`.
 * @param {string} source
 * @returns {string}
 */
export function exportNameOf(source) {
  const camel = basename(source, '.ts').replace(/-([a-z0-9])/g, (_, /** @type {string} */ c) => c.toUpperCase());
  return `${camel}WasmBase64`;
}

/**
 * Section ids of a wasm binary (throws on a malformed one).
 * @param {Buffer} bytes
 * @returns {number[]}
 */
export function wasmSectionIds(bytes) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm binary (bad magic)');
  /** @type {number[]} */
  const ids = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++];
    let size = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      size |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    ids.push(id);
    at += size;
  }
  return ids;
}

/**
 * Compiles one source to wasm bytes with asc (throws with asc's output on a compile error).
 * @param {string} source
 * @returns {Buffer}
 */
export function compileWasm(source) {
  const dir = mkdtempSync(join(tmpdir(), 'omnitrain-asc-'));
  try {
    const outFile = join(dir, 'out.wasm');
    const asc = join(repoRoot, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
    const run = spawnSync(process.execPath, [asc, source, ...ASC_FLAGS, '-o', outFile], { encoding: 'utf8' });
    if (run.status !== 0) {
      throw new Error(`asc failed on ${relative(repoRoot, source)}:\n${run.stdout}${run.stderr}`);
    }
    const bytes = readFileSync(outFile);
    // Section 11 is data: static data would be written into the caller's memory at instantiation.
    if (wasmSectionIds(bytes).includes(11)) {
      throw new Error(`${relative(repoRoot, source)} compiles to a module with static data (a data segment); ` +
        'it would overwrite the caller\'s memory. Remove string/array literals and static arrays: pass tables in.');
    }
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The source and every file it imports by a relative path, transitively (`import ... from './gemm'`,
 * `export ... from './shared/recurrent'`), sorted; a module's bytes depend on all of them.
 * @param {string} source
 * @returns {string[]}
 */
export function sourceClosure(source) {
  const seen = new Set([resolve(source)]);
  const queue = [resolve(source)];
  while (queue.length > 0) {
    const file = /** @type {string} */ (queue.pop());
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/\b(?:import|export)\b[^;'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const base = resolve(dirname(file), spec);
      const found = [base, `${base}.ts`, join(base, 'index.ts')].find((f) => f.endsWith('.ts') && existsSync(f));
      if (found === undefined) throw new Error(`${relative(repoRoot, file)} imports '${spec}', which is not a file next to it`);
      if (!seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    }
  }
  return [...seen].sort();
}

/**
 * The fingerprint of what a module is built from: the source text and that of every file it imports
 * (by path relative to the source), the asc flags and asc's version. Written into the generated file,
 * so a quick check can tell a stale file without compiling.
 * @param {string} source
 * @returns {string}
 */
export function sourceFingerprint(source) {
  const asc = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'assemblyscript', 'package.json'), 'utf8')).version;
  const hash = createHash('sha256');
  for (const file of sourceClosure(source)) {
    hash.update(`${relative(dirname(resolve(source)), file).split('\\').join('/')}\0`).update(readFileSync(file)).update('\0');
  }
  return hash.update(`${ASC_FLAGS.join(' ')}\0${asc}`).digest('hex');
}

/**
 * The fingerprint a generated file records (undefined when it has none or does not exist).
 * @param {string} generated
 * @returns {string | undefined}
 */
export function recordedFingerprint(generated) {
  if (!existsSync(generated)) return undefined;
  return /^\/\/ Fingerprint \(sha256 of source \+ its imports, flags, asc version\): ([0-9a-f]{64})$/m.exec(readFileSync(generated, 'utf8'))?.[1];
}

/**
 * The generated TypeScript file's text for one compiled source.
 * @param {string} source
 * @param {Buffer} bytes
 * @returns {string}
 */
export function generatedFileText(source, bytes) {
  const rel = relative(repoRoot, source).split('\\').join('/');
  const b64 = bytes.toString('base64');
  const lines = b64.match(/.{1,100}/g) ?? [''];
  return [
    `// Generated by tools/build-wasm.mjs from ${rel} (asc ${ASC_FLAGS.join(' ')}). Do not edit:`,
    '// change the source and run `npm run build:wasm`; a test fails when this file is stale.',
    `// Fingerprint (sha256 of source + its imports, flags, asc version): ${sourceFingerprint(source)}`,
    '',
    `/** The WebAssembly SIMD module compiled from \`${rel}\`, base64 (${bytes.length} bytes). */`,
    `export const ${exportNameOf(source)} =`,
    lines.map((l, i) => `  '${l}'${i === lines.length - 1 ? ';' : ' +'}`).join('\n'),
    '',
  ].join('\n');
}

/**
 * Builds (or with `check`, verifies) the generated files; returns the stale paths in check mode.
 * @param {{ sources?: string[], check?: boolean, log?: (line: string) => void }} [options]
 * @returns {string[]}
 */
export function buildWasm({ sources = findWasmSources(), check = false, log = console.log } = {}) {
  /** @type {string[]} */
  const stale = [];
  for (const source of sources) {
    const target = generatedPathOf(source);
    const text = generatedFileText(source, compileWasm(source));
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (current === text) {
      log(`up to date  ${relative(repoRoot, target)}`);
      continue;
    }
    if (check) {
      stale.push(relative(repoRoot, target));
      log(`STALE       ${relative(repoRoot, target)} (run npm run build:wasm)`);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    log(`wrote       ${relative(repoRoot, target)}`);
  }
  return stale;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const files = args.filter((a) => !a.startsWith('--')).map((f) => resolve(f));
  try {
    const stale = buildWasm({ sources: files.length > 0 ? files : findWasmSources(), check });
    if (stale.length > 0) process.exit(1);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
