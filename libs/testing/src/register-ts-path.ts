import { fileURLToPath } from 'node:url';

/**
 * Absolute path of `hooks/register-ts.mjs`: with `node --import <it>`, a child process runs the
 * repo's TypeScript sources (types erased by the workspace's TypeScript, transpiled files cached
 * by content hash under the temp folder). The one copy of these hooks for every lib's tests.
 *
 * @example
 * spawn(process.execPath, ['--conditions=@omnitrain/source', '--import', registerTsPath, 'child.ts']);
 */
export const registerTsPath: string = fileURLToPath(new URL('../hooks/register-ts.mjs', import.meta.url));

/**
 * The node arguments that run a TypeScript entry point with the workspace's sources:
 * `['--conditions=@omnitrain/source', '--import', registerTsPath, ...rest]`.
 *
 * @param rest The script and its arguments.
 * @returns The full argument list for `spawn(process.execPath, ...)`.
 *
 * @example
 * spawn(process.execPath, tsChildArgs('worker.ts', '--rank', '1'));
 */
export function tsChildArgs(...rest: string[]): string[] {
  return ['--conditions=@omnitrain/source', '--import', registerTsPath, ...rest];
}
