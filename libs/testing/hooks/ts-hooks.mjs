// Module hooks for register-ts.mjs: `./x.js` -> `./x.ts` from TypeScript files, and .ts
// transpiled (types erased, nothing checked) with a content-addressed cache under os.tmpdir().
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

const cacheDir = join(tmpdir(), 'omnitrain-ts-cache-v1');
let ts;

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromTs = context.parentURL?.endsWith('.ts') ?? false;
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && fromTs && specifier.endsWith('.js')) {
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
    throw error;
  }
}

/** @type {import('node:module').LoadHook} */
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const key = join(cacheDir, `${createHash('sha256').update(url).update('\0').update(source).digest('hex')}.js`);
  try {
    return { format: 'module', source: await readFile(key, 'utf8'), shortCircuit: true };
  } catch {
    ts ??= (await import('typescript')).default;
    const { outputText } = ts.transpileModule(source, {
      fileName: url,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    await mkdir(cacheDir, { recursive: true });
    const tmp = `${key}.${process.pid}.${threadId}.${randomUUID()}.tmp`; // unique per thread and write
    await writeFile(tmp, outputText);
    await rename(tmp, key);
    return { format: 'module', source: outputText, shortCircuit: true };
  }
}
