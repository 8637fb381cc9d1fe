import { EXIT_CODES } from '../exit-codes.js';

const cleanups = new Set<() => Promise<void> | void>();
let installed = false;

/**
 * Registers work to finish when the process is interrupted (SIGINT, SIGTERM): closing a server,
 * flushing event logs, stopping workers. On the first signal every cleanup runs (at most
 * `deadlineMs` in all), then the process exits with 130; a second signal exits at once.
 *
 * @param cleanup What to do; may be async.
 * @param deadlineMs How long the cleanups may take together. Default 5000.
 * @returns A function that unregisters the cleanup (call it when the work ended normally).
 *
 * @example
 * const off = onInterrupt(() => server.close());
 * await serveUntilDone();
 * off();
 */
export function onInterrupt(cleanup: () => Promise<void> | void, deadlineMs = 5000): () => void {
  installInterruptHandlers(deadlineMs);
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * Installs the SIGINT/SIGTERM handlers once (main.ts calls it first): they run the registered
 * cleanups and exit with 130.
 *
 * @example installInterruptHandlers();
 */
export function installInterruptHandlers(deadlineMs = 5000): void {
  if (installed) return;
  installed = true;
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(EXIT_CODES.interrupted);
      interrupted = true;
      process.stderr.write(`\ninterrupted (${signal}); cleaning up (again to force)\n`);
      const all = Promise.allSettled([...cleanups].map(async (c) => c()));
      const deadline = new Promise((resolve) => setTimeout(resolve, deadlineMs).unref());
      void Promise.race([all, deadline]).then(() => process.exit(EXIT_CODES.interrupted));
    });
  }
}
