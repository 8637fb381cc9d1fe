import { isIP } from 'node:net';

/**
 * Whether `host` only accepts connections from this machine: `localhost`, `127.0.0.0/8`, `::1`.
 * `0.0.0.0`, `::` and every other address or name are reachable from elsewhere.
 *
 * @example
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('0.0.0.0'); // false
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (isIP(h) === 4) return h.split('.')[0] === '127';
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice(7));
  return false;
}
