#!/usr/bin/env node
// `node dist/server/main.js --runs-dir runs [--db file] [--host 127.0.0.1] [--port 6006] [--token t]`:
// starts the dashboard and prints its URL; Ctrl-C closes it cleanly.
import { parseArgs } from 'node:util';
import { startDashboard } from './start-dashboard.js';

const USAGE = `usage: omnitrain-dashboard [--runs-dir runs] [--db <file>] [--host 127.0.0.1] [--port 0] [--token <t>] [--poll-ms 500]
example: omnitrain-dashboard --runs-dir runs --port 6006`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'runs-dir': { type: 'string', default: 'runs' },
      db: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      token: { type: 'string', default: process.env.OMNITRAIN_DASHBOARD_TOKEN },
      'poll-ms': { type: 'string', default: '500' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const dashboard = await startDashboard({
    runsDir: values['runs-dir'],
    dbPath: values.db,
    host: values.host,
    port: Number(values.port),
    token: values.token,
    pollMs: Number(values['poll-ms']),
  });
  console.log(`dashboard: ${dashboard.url}`);
  const stop = (): void => void dashboard.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  console.error(USAGE);
  process.exit(2);
});
