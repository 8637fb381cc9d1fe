import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.txt': 'text/plain; charset=utf-8',
  '.ico': 'image/x-icon',
};

/**
 * A Response with the file at `relativePath` inside `root`, or undefined when it does not exist or
 * the path leaves `root` (`..`, absolute paths, a symlink pointing outside): the server never serves a file outside the UI
 * bundle or a run folder.
 *
 * @example
 * const response = await serveFile('dist/ui', 'assets/index.js');
 */
export async function serveFile(root: string, relativePath: string, cacheSeconds = 0): Promise<Response | undefined> {
  const base = resolve(root);
  const path = resolve(base, `.${sep}${relativePath}`);
  if (path !== base && !path.startsWith(base + sep)) return undefined;
  if (relativePath.includes('\0')) return undefined;
  // A symlink inside the root may point outside it: compare the real paths too.
  const [realBase, real] = await Promise.all([realpath(base).catch(() => undefined), realpath(path).catch(() => undefined)]);
  if (realBase === undefined || real === undefined || !real.startsWith(realBase + sep)) return undefined;
  const info = await stat(real).catch(() => undefined);
  if (info === undefined || !info.isFile()) return undefined;
  const body = await readFile(real);
  return new Response(body, {
    headers: {
      'content-type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': cacheSeconds > 0 ? `public, max-age=${cacheSeconds}, immutable` : 'no-cache',
    },
  });
}
