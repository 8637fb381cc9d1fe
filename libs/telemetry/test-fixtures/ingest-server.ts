// Test helper: a real HTTP server on 127.0.0.1 that records the event batches POSTed to it.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** One request the server received. */
export interface IngestRequest {
  headers: IncomingHttpHeaders;
  /** The body's lines, parsed as JSON. */
  events: Array<{ seq: number; [key: string]: unknown }>;
}

/** A running ingest server. */
export interface IngestServer {
  url: string;
  port: number;
  requests: IngestRequest[];
  /** Every event received, in arrival order. */
  seqs(): number[];
  close(): Promise<void>;
}

/**
 * Starts a server (on `port`, default any free one) answering each POST with `status(n)` for the
 * n-th request (0-based; default 200), recording only the requests it answered 2xx. Closed when
 * the test ends.
 *
 * @example const server = await startIngestServer({ status: (n) => (n < 2 ? 503 : 200) });
 */
export async function startIngestServer(options: { port?: number; status?: (n: number) => number } = {}): Promise<IngestServer> {
  const requests: IngestRequest[] = [];
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = options.status?.(count++) ?? 200;
      if (status < 300) {
        const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l !== '');
        requests.push({ headers: req.headers, events: lines.map((l) => JSON.parse(l) as IngestRequest['events'][number]) });
      }
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `status ${status}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  onTestFinished(close);
  return { url: `http://127.0.0.1:${port}/ingest`, port, requests, seqs: () => requests.flatMap((r) => r.events.map((e) => e.seq)), close };
}
