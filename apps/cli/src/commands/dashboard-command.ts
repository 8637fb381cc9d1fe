import { InvalidArgumentError } from 'commander';
import type { OmnitrainCommand } from '../cli/omnitrain-command.js';
import { onInterrupt } from '../cli/on-interrupt.js';

/**
 * Adds `dashboard [--runs dir] [--port n] [--host h] [--token t]`: starts the dashboard's server
 * (apps/dashboard) over a runs root, prints its URL and serves until Ctrl-C.
 *
 * @example
 * registerDashboardCommand(program);
 * // $ omnitrain dashboard --runs runs --port 6006
 */
export function registerDashboardCommand(program: OmnitrainCommand): void {
  program
    .command('dashboard')
    .description('Serve the live dashboard over a runs folder (127.0.0.1 by default; another host needs --token).')
    .option('--runs <dir>', 'the runs root', 'runs')
    .option('--port <n>', 'port to bind, 0 for any free one', port, 6006)
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--token <secret>', 'require this token on every request (default: $OMNITRAIN_DASHBOARD_TOKEN)')
    .addHelpText('after', '\nExample:\n  $ omnitrain dashboard --runs runs --port 6006\n  $ omnitrain dashboard --host 0.0.0.0 --token "$(openssl rand -hex 16)"')
    .action(async (opts: { runs: string; port: number; host: string; token?: string }) => {
      const { startDashboard } = await import('@omnitrain/dashboard');
      const token = opts.token ?? process.env['OMNITRAIN_DASHBOARD_TOKEN'];
      const server = await startDashboard({ runsDir: opts.runs, port: opts.port, host: opts.host, ...(token ? { token } : {}) });
      process.stdout.write(`dashboard: ${server.url} (runs from ${opts.runs}; Ctrl-C to stop)\n`);
      // Serves until interrupted; the interrupt handler closes the server, then exits 130.
      onInterrupt(() => server.close());
      await new Promise<never>(() => {});
    });
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError(`expected a port from 0 to 65535, got "${value}"`);
  return n;
}
