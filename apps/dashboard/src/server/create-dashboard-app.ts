import { Hono } from 'hono';
import type { Context } from 'hono';
import { ConfigError, nearest, OmnitrainError } from '@omnitrain/core';
import type { DashboardStore, RunDetail, SeriesKey, SeriesKind } from './dashboard-store.js';
import { downsampleMinMax } from './downsample-min-max.js';
import type { EventHub } from './event-hub.js';
import { parseIngestBody } from './ingest-body.js';
import { runFilter } from './run-filter.js';
import type { SeriesCache } from './series-cache.js';
import { serveFile } from './serve-file.js';
import { streamFeed } from './stream-feed.js';
import { tokenGuard } from './token-guard.js';

/** What the HTTP app works on. */
export interface DashboardAppContext {
  store: DashboardStore;
  cache: SeriesCache;
  hub: EventHub;
  /** The built UI (index.html and assets). */
  uiDir: string;
  /** The runs root being watched (shown by the UI when it is empty). */
  runsDir?: string;
  token?: string;
  /** Aborted when the server closes: ends the SSE streams. */
  signal: AbortSignal;
  /** Points a downsampled series answer holds when the request names none. Default 2000. */
  defaultPoints?: number;
  /** Largest POST /api/ingest body, in bytes. Default 32 MiB. */
  maxIngestBytes?: number;
}

const SERIES_KINDS: readonly SeriesKind[] = ['metric', 'lr', 'step-time', 'system', 'worker'];
const NDJSON = /^application\/(x-ndjson|jsonl|x-jsonlines|json)\b/i;

/**
 * The dashboard's Hono app: the JSON/binary API, the SSE feeds, the ingest endpoint and the UI.
 *
 * Routes (all JSON unless said otherwise; errors are `{ error, hint? }` with a 4xx/5xx status):
 * - `GET /api/runs?filter=&limit=&offset=`: runs, filtered by glob or `/regex/` on id or name.
 * - `GET /api/runs/:id`: config, hparams, state, workers, series, recent problems.
 * - `GET /api/runs/:id/series?kind=&name=&split=&label=&from=&to=&points=&format=json|f64`: one series in a
 *   step range, min/max-downsampled to `points`, or (format=f64) every point as a Float64Array
 *   (`count` steps then `count` values; NaN where a value was NaN).
 * - `GET /api/runs/:id/confusion-matrix?split=&step=`, `/samples?split=&step=`, `/events?kind=&limit=`,
 *   `/files/<path>` (sample media inside the run folder).
 * - `GET /api/compare?runs=a,b`: hparams, summaries and last metric values of several runs.
 * - `GET /api/trials?search=`: the latest state of each trial (`trials`) and every trial event in order (`history`).
 * - `GET /api/stream?runs=a,b` (SSE, id = global id) and `GET /api/runs/:id/stream` (SSE, id = seq);
 *   both resume after `Last-Event-ID` (or `?lastEventId=`).
 * - `POST /api/ingest` (alias `/api/runs/ingest`): the telemetry http sink's batches.
 *
 * @example
 * const app = createDashboardApp({ store, cache, hub, uiDir, signal });
 * serve({ fetch: app.fetch, port: 0 });
 */
export function createDashboardApp(context: DashboardAppContext): Hono {
  const { store, cache, hub, uiDir, signal } = context;
  const defaultPoints = context.defaultPoints ?? 2000;
  const maxIngestBytes = context.maxIngestBytes ?? 32 * 1024 * 1024;
  const app = new Hono();
  const droppedBySender = new Map<string, number>();

  app.onError((error, c) => {
    if (error instanceof OmnitrainError) return c.json({ error: error.message, hint: error.hint }, 400);
    return c.json({ error: `dashboard: ${error.message}` }, 500);
  });
  app.use('*', tokenGuard(context.token));

  app.get('/api/health', (c) => c.json({ ok: true, runsDir: context.runsDir ?? null, runs: store.listRuns().length, lastGid: store.lastGid(), streams: hub.size }));

  app.get('/api/runs', (c) => {
    const match = runFilter(c.req.query('filter'));
    const all = store.listRuns();
    const matched = all.filter((r) => match(r.runId) || match(r.name));
    const offset = intParam(c, 'offset', 0);
    const limit = intParam(c, 'limit', 5000);
    return c.json({ total: all.length, matched: matched.length, runs: matched.slice(offset, offset + limit) });
  });

  app.get('/api/runs/:id', (c) => {
    const run = store.getRun(c.req.param('id'));
    return run === undefined ? unknownRun(c, store) : c.json(run);
  });

  app.get('/api/runs/:id/series', (c) => {
    const run = store.getRun(c.req.param('id'));
    if (run === undefined) return unknownRun(c, store);
    const kind = (c.req.query('kind') ?? 'metric') as SeriesKind;
    if (!SERIES_KINDS.includes(kind)) return badRequest(c, `expected kind one of ${SERIES_KINDS.join(', ')}, got "${kind}"`);
    const key: SeriesKey = { kind, name: c.req.query('name') ?? 'loss', split: c.req.query('split') ?? (kind === 'metric' ? 'train' : ''), label: c.req.query('label') ?? '' };
    const series = run.series.find((s) => s.kind === key.kind && s.name === key.name && s.split === key.split && s.label === key.label);
    if (series === undefined) {
      const available = run.series.filter((s) => s.kind === kind).map((s) => `${s.name}${s.split ? `/${s.split}` : ''}${s.label ? `@${s.label}` : ''}`);
      return c.json(
        { error: `dashboard: run "${run.runId}" has no ${kind} series ${key.name}${key.split ? `/${key.split}` : ''}${key.label ? `@${key.label}` : ''}`, available },
        404,
      );
    }
    const data = cache.get(series);
    const from = numParam(c, 'from', Number.NEGATIVE_INFINITY);
    const to = numParam(c, 'to', Number.POSITIVE_INFINITY);
    const start = lowerBound(data.steps, data.length, from);
    const end = lowerBound(data.steps, data.length, to, true);
    if (c.req.query('format') === 'f64') {
      const n = Math.max(0, end - start);
      const body = new Float64Array(2 * n);
      body.set(data.steps.subarray(start, start + n), 0);
      body.set(data.values.subarray(start, start + n), n);
      return new Response(body.buffer, { headers: { 'content-type': 'application/octet-stream', 'x-point-count': String(n), 'cache-control': 'no-cache' } });
    }
    const points = Math.max(4, intParam(c, 'points', defaultPoints));
    const view = downsampleMinMax(data, points, start, Math.max(start, end));
    return c.json({
      runId: run.runId,
      ...key,
      count: data.length,
      total: Math.max(0, end - start),
      downsampled: end - start > points,
      steps: view.steps,
      values: view.values.map((v) => (Number.isFinite(v) ? v : null)),
    });
  });

  app.get('/api/runs/:id/confusion-matrix', (c) => latest(c, store, 'confusion-matrix'));
  app.get('/api/runs/:id/samples', (c) => latest(c, store, 'samples'));
  app.get('/api/runs/:id/events', (c) => {
    const run = store.getRun(c.req.param('id'));
    if (run === undefined) return unknownRun(c, store);
    return c.json({ events: store.events(run.runId, c.req.query('kind') ?? 'checkpoint', intParam(c, 'limit', 100)) });
  });
  app.get('/api/runs/:id/files/*', async (c) => {
    const run = store.getRun(c.req.param('id'));
    if (run === undefined) return unknownRun(c, store);
    const relative = decodeURIComponent(c.req.path.slice(c.req.path.indexOf('/files/') + '/files/'.length));
    const response = run.dir === null ? undefined : await serveFile(run.dir, relative);
    return response ?? c.json({ error: `dashboard: no file "${relative}" in the folder of run "${run.runId}"` }, 404);
  });

  app.get('/api/compare', (c) => {
    const ids = (c.req.query('runs') ?? '').split(',').filter((id) => id !== '');
    const runs: Array<Omit<RunDetail, 'config' | 'workers' | 'recentProblems'> & { last: Record<string, number | null> }> = [];
    for (const id of ids) {
      const run = store.getRun(id);
      if (run === undefined) return unknownRun(c, store, id);
      const last: Record<string, number | null> = {};
      for (const s of run.series) if (s.kind === 'metric' && s.label === '') last[`${s.split}/${s.name}`] = s.lastValue;
      const { config: _config, workers: _workers, recentProblems: _problems, ...rest } = run;
      runs.push({ ...rest, last });
    }
    return c.json({ runs });
  });

  app.get('/api/trials', (c) => {
    const search = c.req.query('search') || undefined;
    const trials = store.trials(search);
    if (search !== undefined && trials.length === 0) {
      const searches = [...new Set(store.trials().map((t) => (t.event as { searchId: string }).searchId))];
      const near = nearest(search, searches);
      return c.json({ error: `dashboard: expected a known search id, got "${search}"`, hint: near ? `did you mean "${near}"?` : `known searches: ${searches.join(', ') || 'none yet'}` }, 404);
    }
    return c.json({ trials, history: store.trialHistory(search) });
  });

  const lastEventId = (c: Context): number | undefined => {
    const text = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    if (text === undefined || text.trim() === '') return undefined;
    const n = Number(text);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  };
  app.get('/api/stream', (c) => {
    const runs = c.req.query('runs');
    const runIds = runs === undefined || runs === '' ? undefined : new Set(runs.split(','));
    return streamFeed(c, { store, hub, runIds, afterGid: lastEventId(c), idOf: (item) => String(item.gid), signal });
  });
  app.get('/api/runs/:id/stream', (c) => {
    const runId = c.req.param('id');
    if (store.getRun(runId) === undefined) return unknownRun(c, store);
    const after = lastEventId(c);
    return streamFeed(c, {
      store,
      hub,
      runIds: new Set([runId]),
      afterGid: after === undefined ? undefined : store.gidOfSeq(runId, after),
      idOf: (item) => String(item.event.seq),
      signal,
    });
  });

  const ingest = async (c: Context): Promise<Response> => {
    const type = c.req.header('content-type') ?? '';
    if (!NDJSON.test(type)) {
      return c.json({ error: `dashboard.ingest: expected content-type application/x-ndjson, got "${type || 'none'}"`, hint: 'POST events as JSON lines, as the telemetry http sink does' }, 415);
    }
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > maxIngestBytes) return c.json({ error: `dashboard.ingest: expected a body of at most ${maxIngestBytes} bytes, got ${length}` }, 413);
    const batch = parseIngestBody(await c.req.text(), 'POST /api/ingest');
    const dropped = Number(c.req.header('x-omnitrain-dropped') ?? 0);
    let stored = 0;
    for (const [runId, events] of batch.byRun) {
      const items = store.ingest(runId, events, 'http');
      stored += items.length;
      hub.publish({ type: 'events', items });
      if (items.some((i) => i.event.kind === 'run-start' || i.event.kind === 'run-end')) hub.publish({ type: 'runs-changed', runIds: [runId] });
      if (Number.isFinite(dropped) && dropped > (droppedBySender.get(runId) ?? 0)) {
        store.addProblem(runId, null, null, `the http sender dropped ${dropped - (droppedBySender.get(runId) ?? 0)} events (${dropped} in all) while the dashboard was unreachable`);
        droppedBySender.set(runId, dropped);
      }
    }
    for (const problem of batch.problems) store.addProblem(null, problem.file, problem.line, problem.message);
    if (batch.problems.length > 0) {
      return c.json({ error: `dashboard.ingest: ${batch.problems.length} lines are not valid events; the ${batch.count} valid ones were stored`, stored, problems: batch.problems.map((p) => p.message) }, 422);
    }
    return c.json({ stored, received: batch.count });
  };
  app.post('/api/ingest', ingest);
  app.post('/api/runs/ingest', ingest);

  app.all('/api/*', (c) => c.json({ error: `dashboard: no API route ${c.req.method} ${c.req.path}`, hint: 'see apps/dashboard/README.md for the routes' }, 404));

  app.get('*', async (c) => {
    const path = c.req.path === '/' ? 'index.html' : c.req.path.slice(1);
    const file = (await serveFile(uiDir, path, path.startsWith('assets/') ? 31_536_000 : 0)) ?? (await serveFile(uiDir, 'index.html'));
    return file ?? c.text(`The dashboard UI is not built (no ${uiDir}/index.html): run \`npm run build -w @omnitrain/dashboard\`. The API under /api works.`, 503);
  });
  return app;
}

function latest(c: Context, store: DashboardStore, kind: 'confusion-matrix' | 'samples'): Response {
  const run = store.getRun(c.req.param('id') ?? '');
  if (run === undefined) return unknownRun(c, store);
  const step = c.req.query('step');
  const event = store.latestEvent(run.runId, kind, { split: c.req.query('split'), step: step === undefined ? undefined : Number(step) });
  return c.json({ event: event ?? null });
}

function unknownRun(c: Context, store: DashboardStore, id = c.req.param('id') ?? ''): Response {
  const near = nearest(id, store.listRuns().map((r) => r.runId));
  return c.json(
    {
      error: `dashboard: expected a known run id, got "${id}"`,
      hint: near ? `did you mean "${near}"? GET /api/runs lists the runs` : 'GET /api/runs lists the runs; a run appears once its folder exists under the runs directory or its events are POSTed',
    },
    404,
  );
}

function badRequest(c: Context, message: string): Response {
  return c.json({ error: `dashboard: ${message}` }, 400);
}

function numParam(c: Context, name: string, fallback: number): number {
  const text = c.req.query(name);
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (Number.isNaN(n)) throw new ConfigError({ op: `dashboard ${c.req.path}`, expected: `query parameter ${name} to be a number`, received: `"${text}"` });
  return n;
}

function intParam(c: Context, name: string, fallback: number): number {
  return Math.max(0, Math.floor(numParam(c, name, fallback)));
}

/** First index in sorted `steps[0..length)` with step >= x (or > x when `after`). */
function lowerBound(steps: Float64Array, length: number, x: number, after = false): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after ? steps[mid]! <= x : steps[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
