import { createServer } from 'node:net';

/**
 * A TCP port that was free on `host` a moment ago (the OS picks it), for MASTER_PORT.
 *
 * @example
 * const port = await findFreePort(); // e.g. 41873
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
