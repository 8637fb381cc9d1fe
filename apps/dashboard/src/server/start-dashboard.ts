import { mkdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { ConfigError, loadConfigObject } from '@omnitrain/core';
import { z } from 'zod';
import { createDashboardApp } from './create-dashboard-app.js';
import { DashboardStore } from './dashboard-store.js';
import { EventHub } from './event-hub.js';
import { isLoopbackHost } from './is-loopback-host.js';
import { LogIngester } from './log-ingester.js';
import { SeriesCache } from './series-cache.js';

/** Options of {@link startDashboard}. */
export const dashboardOptionsSchema = z.strictObject({
  runsDir: z.string().min(1).default('runs').describe('The runs root: one folder per run holding events.jsonl. Default "runs".'),
  dbPath: z.string().min(1).optional().describe('The SQLite store file. Default <runsDir>/dashboard.sqlite.'),
  host: z.string().min(1).default('127.0.0.1').describe('Address to bind. Anything but loopback needs a token. Default 127.0.0.1.'),
  port: z.number().int().min(0).max(65_535).default(0).describe('Port; 0 picks a free one. Default 0.'),
  token: z.string().min(8).optional().describe('Required on every request when set (Bearer header, x-omnitrain-token, or ?token=). Default none.'),
  pollMs: z.number().int().min(10).default(500).describe('How often run folders are scanned for new events, in ms. Default 500.'),
  uiDir: z.string().min(1).optional().describe('The built UI. Default the package\'s dist/ui.'),
  cachePoints: z.number().int().min(0).default(8_000_000).describe('Series points kept in memory for fast zooming (16 bytes each). Default 8000000.'),
});

/** Options of {@link startDashboard}, as passed. */
export type DashboardOptions = z.input<typeof dashboardOptionsSchema>;

/** A running dashboard. */
export interface DashboardServer {
  /** Where to open it (`http://127.0.0.1:43121/`, with `?token=` when a token is set). */
  url: string;
  /** The port bound. */
  port: number;
  /** The store (for tools and tests). */
  store: DashboardStore;
  /** Scans the run folders now (the server also does it every `pollMs`). */
  poll(): Promise<void>;
  /** Stops ingesting, ends the SSE streams, closes the server and the store. */
  close(): Promise<void>;
}

/** The UI bundle beside this file's package: src/server/ and dist/server/ both sit two levels under it. */
const DEFAULT_UI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'ui');

/**
 * Starts the dashboard: opens (or creates) the SQLite store, ingests every
 * `<runsDir>/<run>/events.jsonl` now and then every `pollMs`, and serves the API, the SSE feed and
 * the UI over HTTP.
 *
 * @throws ConfigError for invalid options, or a non-loopback `host` without a `token`.
 * @throws DataError when the store cannot be opened.
 * @example
 * const dashboard = await startDashboard({ runsDir: 'runs' });
 * console.log(`dashboard at ${dashboard.url}`);
 * await dashboard.close();
 */
export async function startDashboard(options: DashboardOptions = {}): Promise<DashboardServer> {
  const config = loadConfigObject(options, dashboardOptionsSchema, { source: 'startDashboard' });
  if (!isLoopbackHost(config.host) && config.token === undefined) {
    throw new ConfigError({
      op: 'dashboard.startDashboard',
      expected: 'a token when binding an address other than loopback (127.0.0.1, ::1, localhost)',
      received: `host "${config.host}" without a token`,
      hint: 'pass a token of at least 8 characters (--token, or OMNITRAIN_DASHBOARD_TOKEN), or bind 127.0.0.1 and use an SSH tunnel',
    });
  }
  const runsDir = resolve(config.runsDir);
  makeRunsDir(runsDir);
  const dbPath = resolve(config.dbPath ?? join(runsDir, 'dashboard.sqlite'));
  mkdirSync(dirname(dbPath), { recursive: true });
  const store = new DashboardStore(dbPath);
  const hub = new EventHub();
  const ingester = new LogIngester(store, hub, runsDir);
  const closing = new AbortController();
  const app = createDashboardApp({
    store,
    cache: new SeriesCache(store, config.cachePoints),
    hub,
    uiDir: config.uiDir ?? DEFAULT_UI_DIR,
    runsDir,
    token: config.token,
    signal: closing.signal,
  });
  let server: Server;
  try {
    await ingester.poll();
    server = await new Promise<Server>((resolveServer, reject) => {
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolveServer(s as Server)) as Server;
      s.once('error', reject);
    });
  } catch (error) {
    store.close();
    throw new ConfigError({
      op: 'dashboard.startDashboard',
      expected: `to listen on ${config.host}:${config.port}`,
      received: (error as Error).message,
      hint: (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'the port is taken: pick another, or 0 for any free one' : undefined,
      cause: error,
    });
  }
  // A first read of a long series can hold the event loop for seconds; a keep-alive timer firing
  // right after would reset a connection the browser is about to reuse.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  ingester.start(config.pollMs);
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const url = `http://${shownHost}:${port}/${config.token === undefined ? '' : `?token=${encodeURIComponent(config.token)}`}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    poll: () => ingester.poll(),
    close: () =>
      (closed ??= (async () => {
        closing.abort();
        await ingester.stop();
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
        store.close();
      })()),
  };
}

/** Creates the runs root when missing (a dashboard may start before the first run); refuses a file. */
function makeRunsDir(runsDir: string): void {
  try {
    mkdirSync(runsDir, { recursive: true });
    if (!statSync(runsDir).isDirectory()) throw new Error('it is not a folder');
  } catch (error) {
    throw new ConfigError({
      op: 'dashboard.startDashboard',
      expected: 'runsDir to be a folder (or a path where one can be created)',
      received: `${runsDir}: ${(error as Error).message}`,
      hint: 'pass --runs-dir pointing at the runs root (the telemetry.runsDir of your run files)',
      cause: error,
    });
  }
}
