import Database from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { DataError } from '@omnitrain/core';
import { parseEvent, serializeEvent } from '@omnitrain/telemetry';
import type { TelemetryEvent, WorkerStatusEvent } from '@omnitrain/telemetry';
import { migrate } from './migrations.js';
import { pointsOf } from './points-of.js';
import type { SeriesKey, SeriesKind } from './points-of.js';

export type { SeriesKey, SeriesKind } from './points-of.js';

/** Where a run's events come from. */
export type RunSource = 'file' | 'http';

/**
 * A run's state: `no-log` (a folder without `events.jsonl`), `no-start` (a log without a valid
 * `run-start` yet: being written or half-written), `running`, or how it ended.
 */
export type RunState = 'no-log' | 'no-start' | 'running' | 'completed' | 'failed' | 'killed';

/** A series of a run with its extent. */
export interface SeriesInfo extends SeriesKey {
  id: number;
  count: number;
  firstStep: number | null;
  lastStep: number | null;
  lastValue: number | null;
}

/** One event as stored: its global ingest id (`gid`, the id of the `/api/stream` SSE feed) and run. */
export interface StoredItem {
  gid: number;
  runId: string;
  event: TelemetryEvent;
}

/** A run as listed. */
export interface RunSummary {
  runId: string;
  name: string;
  state: RunState;
  source: RunSource;
  group: string | null;
  startedAt: number | null;
  endedAt: number | null;
  updatedAt: number | null;
  lastStep: number | null;
  lastSeq: number;
  worldSize: number | null;
  hparams: Record<string, number | string | boolean>;
  summary: Record<string, number>;
  error: string | null;
  problems: number;
  /** Bytes of a last line without its newline (half-written) at the last read of the log. */
  tornBytes: number;
}

/** A problem found while ingesting (a corrupt line, a mismatched run id). */
export interface ProblemRecord {
  file: string | null;
  line: number | null;
  message: string;
  time: number;
}

/** Everything about one run except its data points. */
export interface RunDetail extends RunSummary {
  dir: string | null;
  config: Record<string, unknown> | null;
  backend: unknown;
  host: unknown;
  git: unknown;
  workers: WorkerStatusEvent[];
  series: SeriesInfo[];
  recentProblems: ProblemRecord[];
}

/** Where reading a log resumes. */
export interface LogCursor {
  offset: number;
  line: number;
  inode: number;
}

interface RunRow {
  id: number;
  run_id: string;
  name: string | null;
  source: RunSource;
  dir: string | null;
  state: RunState;
  config: string | null;
  hparams: string | null;
  backend: string | null;
  host: string | null;
  git: string | null;
  world_size: number | null;
  grp: string | null;
  started_at: number | null;
  ended_at: number | null;
  updated_at: number | null;
  last_step: number | null;
  last_seq: number;
  summary: string | null;
  error: string | null;
  problems: number;
  torn_bytes: number;
}

const json = <T>(text: string | null, fallback: T): T => (text === null ? fallback : (JSON.parse(text) as T));
const num = (value: number | null): number => (value === null ? Number.NaN : value);

/**
 * The dashboard's SQLite store (better-sqlite3, WAL): runs, scalar series and their points, the
 * other events as JSON, worker states, trials, ingest problems and log read positions. Events are
 * taken per run in `seq` order; an event whose `seq` is not above the run's last is a duplicate
 * (a retried HTTP batch, a re-read log) and is ignored.
 *
 * @example
 * const store = new DashboardStore('runs/dashboard.sqlite');
 * store.ingest('run-a', events, 'file');
 * store.listRuns();
 */
export class DashboardStore {
  /** The open database (for tests and tools; prefer the methods). */
  readonly db: SqliteDatabase;
  #nextGid: number;
  readonly #runIds = new Map<string, number>();
  readonly #seriesIds = new Map<string, number>();
  readonly #stmt: Record<string, Statement>;

  /**
   * Opens (creating when absent) the store at `path` and applies pending migrations.
   * @throws DataError when the file cannot be opened as SQLite.
   */
  constructor(path: string) {
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      migrate(this.db);
    } catch (error) {
      throw new DataError({
        op: 'dashboard.openStore',
        expected: 'a writable SQLite file (or a path where one can be created)',
        received: (error as Error).message,
        where: `file ${path}`,
        hint: 'pass another dbPath, or delete the file if it is not a dashboard store',
        cause: error,
      });
    }
    const db = this.db;
    const maxGid = db.prepare('SELECT max(m) FROM (SELECT max(gid) AS m FROM events UNION ALL SELECT max(gid) FROM points)').pluck().get() as number | null;
    this.#nextGid = (maxGid ?? 0) + 1;
    this.#stmt = {
      runByKey: db.prepare('SELECT * FROM runs WHERE run_id = ?'),
      insertRun: db.prepare("INSERT INTO runs (run_id, name, source, dir, state) VALUES (?, ?, ?, ?, 'no-log')"),
      insertPoint: db.prepare('INSERT INTO points (series, step, value, time, gid, seq, epoch) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertEvent: db.prepare('INSERT INTO events (gid, run, seq, kind, step, time, body) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      seriesByKey: db.prepare('SELECT id FROM series WHERE run = ? AND kind = ? AND name = ? AND split = ? AND label = ?'),
      insertSeries: db.prepare('INSERT INTO series (run, kind, name, split, label) VALUES (?, ?, ?, ?, ?)'),
      updateSeries: db.prepare(
        'UPDATE series SET count = count + ?, first_step = coalesce(min(first_step, ?), ?), last_step = coalesce(max(last_step, ?), ?), last_value = ? WHERE id = ?',
      ),
      runProgress: db.prepare('UPDATE runs SET last_seq = ?, updated_at = ?, last_step = coalesce(max(last_step, ?), ?) WHERE id = ?'),
      runStart: db.prepare(
        "UPDATE runs SET name = ?, config = ?, hparams = ?, backend = ?, host = ?, git = ?, world_size = ?, grp = ?, started_at = ?, state = CASE WHEN state IN ('no-log', 'no-start') THEN 'running' ELSE state END WHERE id = ?",
      ),
      runEnd: db.prepare('UPDATE runs SET state = ?, ended_at = ?, summary = ?, error = ?, last_step = coalesce(?, last_step) WHERE id = ?'),
      upsertWorker: db.prepare('INSERT INTO workers (run, rank, body, time) VALUES (?, ?, ?, ?) ON CONFLICT (run, rank) DO UPDATE SET body = excluded.body, time = excluded.time'),
      upsertTrial: db.prepare(
        'INSERT INTO trials (search_id, trial_id, run, state, body, time) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (search_id, trial_id) DO UPDATE SET run = excluded.run, state = excluded.state, body = excluded.body, time = excluded.time',
      ),
      insertProblem: db.prepare('INSERT INTO problems (run, file, line, message, time) VALUES (?, ?, ?, ?, ?)'),
      countProblem: db.prepare('UPDATE runs SET problems = problems + 1 WHERE id = ?'),
    };
  }

  /** Closes the database. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /** The internal id of run `runId`, registering it (state `no-log`) when new. */
  ensureRun(runId: string, source: RunSource, dir: string | null = null): number {
    const known = this.#runIds.get(runId);
    if (known !== undefined) return known;
    const row = this.#stmt.runByKey!.get(runId) as RunRow | undefined;
    const id = row?.id ?? Number(this.#stmt.insertRun!.run(runId, runId, source, dir).lastInsertRowid);
    this.#runIds.set(runId, id);
    return id;
  }

  /** Records how a run folder's log looks (missing, or without a valid run-start yet, or a torn last line). */
  setFolderState(runId: string, dir: string, hasLog: boolean, tornBytes: number): boolean {
    const id = this.ensureRun(runId, 'file', dir);
    const result = this.db
      .prepare(
        "UPDATE runs SET dir = ?, torn_bytes = ?, state = CASE WHEN state IN ('no-log', 'no-start') THEN ? ELSE state END WHERE id = ? AND (coalesce(dir, '') != ? OR torn_bytes != ? OR (state IN ('no-log', 'no-start') AND state != ?))",
      )
      .run(dir, tornBytes, hasLog ? 'no-start' : 'no-log', id, dir, tornBytes, hasLog ? 'no-start' : 'no-log');
    return result.changes > 0;
  }

  /** Records an ingest problem (shown with the run); never throws on bad input. */
  addProblem(runId: string | null, file: string | null, line: number | null, message: string): void {
    const id = runId === null ? null : this.ensureRun(runId, 'file');
    this.#stmt.insertProblem!.run(id, file, line, message, Date.now());
    if (id !== null) this.#stmt.countProblem!.run(id);
  }

  /**
   * Stores `events` of run `runId` (in `seq` order) in one transaction: metric, learning-rate,
   * step-time, system and worker-status values become points of their series; every event but
   * metrics is also kept as JSON. Events with a `seq` not above the run's last are skipped.
   *
   * @returns The events stored, with their global ids, for the live feed.
   */
  ingest(runId: string, events: readonly TelemetryEvent[], source: RunSource, dir: string | null = null): StoredItem[] {
    return this.db.transaction(() => this.#ingest(runId, events, source, dir))();
  }

  #ingest(runId: string, events: readonly TelemetryEvent[], source: RunSource, dir: string | null): StoredItem[] {
    const run = this.ensureRun(runId, source, dir);
    const row = this.#stmt.runByKey!.get(runId) as RunRow;
    let lastSeq = row.last_seq;
    let lastStep: number | null = null;
    let updatedAt = row.updated_at ?? 0;
    const stored: StoredItem[] = [];
    const touched = new Map<number, { count: number; first: number; last: number; value: number }>();
    for (const event of events) {
      if (event.seq <= lastSeq) continue;
      lastSeq = event.seq;
      updatedAt = Math.max(updatedAt, event.time);
      const gid = this.#nextGid++;
      stored.push({ gid, runId, event });
      for (const point of pointsOf(event)) {
        const series = this.#seriesId(run, point.key);
        this.#stmt.insertPoint!.run(series, point.step, point.value, event.time, gid, event.seq, point.epoch ?? null);
        const t = touched.get(series);
        if (t === undefined) touched.set(series, { count: 1, first: point.step, last: point.step, value: point.value });
        else {
          t.count += 1;
          t.first = Math.min(t.first, point.step);
          t.last = Math.max(t.last, point.step);
          t.value = point.value;
        }
        if (point.key.kind !== 'system' && point.key.kind !== 'worker') lastStep = Math.max(lastStep ?? 0, point.step);
      }
      if (event.kind !== 'metric') {
        const step = 'step' in event && typeof event.step === 'number' ? event.step : null;
        this.#stmt.insertEvent!.run(gid, run, event.seq, event.kind, step, event.time, serializeEvent(event));
      }
      this.#applyState(run, event);
    }
    for (const [series, t] of touched) {
      this.#stmt.updateSeries!.run(t.count, t.first, t.first, t.last, t.last, Number.isNaN(t.value) ? null : t.value, series);
    }
    if (stored.length > 0) this.#stmt.runProgress!.run(lastSeq, updatedAt, lastStep, lastStep, run);
    return stored;
  }

  #applyState(run: number, event: TelemetryEvent): void {
    switch (event.kind) {
      case 'run-start':
        this.#stmt.runStart!.run(
          event.name,
          JSON.stringify(event.config),
          JSON.stringify(event.hparams),
          JSON.stringify(event.backend),
          JSON.stringify(event.host),
          event.git === undefined ? null : JSON.stringify(event.git),
          event.worldSize,
          event.group ?? null,
          event.time,
          run,
        );
        break;
      case 'run-end':
        this.#stmt.runEnd!.run(event.status, event.time, JSON.stringify(event.summary, specialNumbers), event.error ?? null, event.step ?? null, run);
        break;
      case 'worker-status':
        this.#stmt.upsertWorker!.run(run, event.rank, JSON.stringify(event), event.time);
        break;
      case 'trial':
        this.#stmt.upsertTrial!.run(event.searchId, event.trialId, run, event.state, serializeEvent(event), event.time);
        break;
      default:
        break;
    }
  }

  #seriesId(run: number, key: SeriesKey): number {
    const cacheKey = `${run}\u0000${key.kind}\u0000${key.name}\u0000${key.split}\u0000${key.label}`;
    let id = this.#seriesIds.get(cacheKey);
    if (id === undefined) {
      const args = [run, key.kind, key.name, key.split, key.label];
      id = (this.#stmt.seriesByKey!.pluck().get(...args) as number | undefined) ?? Number(this.#stmt.insertSeries!.run(...args).lastInsertRowid);
      this.#seriesIds.set(cacheKey, id);
    }
    return id;
  }

  /** Every run, newest first. */
  listRuns(): RunSummary[] {
    const rows = this.db.prepare('SELECT * FROM runs ORDER BY coalesce(started_at, updated_at, 0) DESC, run_id').all() as RunRow[];
    return rows.map(summaryOf);
  }

  /** One run with its config, workers, series and latest problems; undefined when unknown. */
  getRun(runId: string): RunDetail | undefined {
    const row = this.#stmt.runByKey!.get(runId) as RunRow | undefined;
    if (row === undefined) return undefined;
    const workers = (this.db.prepare('SELECT body FROM workers WHERE run = ? ORDER BY rank').pluck().all(row.id) as string[]).map(
      (body) => JSON.parse(body) as WorkerStatusEvent,
    );
    const series = (
      this.db
        .prepare('SELECT id, kind, name, split, label, count, first_step, last_step, last_value FROM series WHERE run = ? ORDER BY kind, name, split, label')
        .all(row.id) as Array<{ id: number; kind: SeriesKind; name: string; split: string; label: string; count: number; first_step: number | null; last_step: number | null; last_value: number | null }>
    ).map((s) => ({ id: s.id, kind: s.kind, name: s.name, split: s.split, label: s.label, count: s.count, firstStep: s.first_step, lastStep: s.last_step, lastValue: s.last_value }));
    const recentProblems = this.db
      .prepare('SELECT file, line, message, time FROM problems WHERE run = ? ORDER BY id DESC LIMIT 20')
      .all(row.id) as ProblemRecord[];
    return {
      ...summaryOf(row),
      dir: row.dir,
      config: json(row.config, null),
      backend: json(row.backend, null),
      host: json(row.host, null),
      git: json(row.git, null),
      workers,
      series,
      recentProblems,
    };
  }

  /** The id of a run's series, or undefined when the run or series does not exist. */
  findSeries(runId: string, key: SeriesKey): SeriesInfo | undefined {
    return this.getRun(runId)?.series.find((s) => s.kind === key.kind && s.name === key.name && s.split === key.split && s.label === key.label);
  }

  /** Points of series `seriesId` at steps >= `fromStep` with gid > `afterGid`, in step order (NaN for null). */
  readPoints(seriesId: number, fromStep: number, afterGid: number): { steps: Float64Array; values: Float64Array; maxGid: number } {
    const rows = this.db
      .prepare('SELECT step, value, gid FROM points WHERE series = ? AND step >= ? AND gid > ? ORDER BY step, gid')
      .raw()
      .iterate(seriesId, fromStep, afterGid) as IterableIterator<[number, number | null, number]>;
    let steps: Float64Array = new Float64Array(1024);
    let values: Float64Array = new Float64Array(1024);
    let n = 0;
    let maxGid = afterGid;
    for (const [step, value, gid] of rows) {
      if (n === steps.length) {
        steps = grow(steps);
        values = grow(values);
      }
      steps[n] = step;
      values[n] = num(value);
      n += 1;
      if (gid > maxGid) maxGid = gid;
    }
    return { steps: steps.subarray(0, n), values: values.subarray(0, n), maxGid };
  }

  /** The newest event of `kind` in a run matching `split` / `step` when given. */
  latestEvent(runId: string, kind: string, where: { split?: string; step?: number } = {}): TelemetryEvent | undefined {
    for (const event of this.events(runId, kind, 500)) {
      if (where.split !== undefined && 'split' in event && event.split !== where.split) continue;
      if (where.step !== undefined && 'step' in event && event.step !== where.step) continue;
      return event;
    }
    return undefined;
  }

  /** The newest `limit` events of `kind` in a run, newest first. */
  events(runId: string, kind: string, limit = 100): TelemetryEvent[] {
    const run = this.#runIds.get(runId) ?? (this.#stmt.runByKey!.get(runId) as RunRow | undefined)?.id;
    if (run === undefined) return [];
    return (this.db.prepare('SELECT body FROM events WHERE run = ? AND kind = ? ORDER BY gid DESC LIMIT ?').pluck().all(run, kind, limit) as string[]).map(
      (body) => parseEvent(JSON.parse(body)),
    );
  }

  /** The latest state of every trial (of `searchId` when given), with the run that reported it. */
  trials(searchId?: string): Array<{ runId: string; event: TelemetryEvent }> {
    const rows = this.db
      .prepare(
        `SELECT runs.run_id AS runId, trials.body AS body FROM trials JOIN runs ON runs.id = trials.run ${searchId === undefined ? '' : 'WHERE search_id = ?'} ORDER BY search_id, trials.time`,
      )
      .all(...(searchId === undefined ? [] : [searchId])) as Array<{ runId: string; body: string }>;
    return rows.map((r) => ({ runId: r.runId, event: parseEvent(JSON.parse(r.body)) }));
  }

  /**
   * Every `trial` event (of `searchId` when given) in ingest order, at most `limit` (newest kept):
   * the objective of each trial over time, for the trials view.
   */
  trialHistory(searchId?: string, limit = 20_000): Array<{ runId: string; event: TelemetryEvent }> {
    const where = searchId === undefined ? '' : "AND json_extract(events.body, '$.searchId') = ?";
    const rows = this.db
      .prepare(
        `SELECT * FROM (SELECT runs.run_id AS runId, events.body AS body, events.gid AS gid FROM events JOIN runs ON runs.id = events.run WHERE events.kind = 'trial' ${where} ORDER BY events.gid DESC LIMIT ?) ORDER BY gid`,
      )
      .all(...(searchId === undefined ? [limit] : [searchId, limit])) as Array<{ runId: string; body: string }>;
    return rows.map((r) => ({ runId: r.runId, event: parseEvent(JSON.parse(r.body)) }));
  }

  /** The highest global id stored so far (0 for an empty store). */
  lastGid(): number {
    return this.#nextGid - 1;
  }

  /**
   * Stored events with a global id above `afterGid`, in id order, at most about `limit`: for
   * resuming the live feed. Metric events are rebuilt from their points (exact but for key order).
   */
  replay(afterGid: number, limit = 5000, runIds?: ReadonlySet<string>): StoredItem[] {
    const runFilter = runIds === undefined ? '' : `AND r.run_id IN (${[...runIds].map(() => '?').join(',') || "''"})`;
    const args = runIds === undefined ? [] : [...runIds];
    const events = this.db
      .prepare(`SELECT e.gid AS gid, r.run_id AS runId, e.body AS body FROM events e JOIN runs r ON r.id = e.run WHERE e.gid > ? ${runFilter} ORDER BY e.gid LIMIT ?`)
      .all(afterGid, ...args, limit) as Array<{ gid: number; runId: string; body: string }>;
    const points = this.db
      .prepare(
        `SELECT p.gid AS gid, r.run_id AS runId, s.name AS name, s.split AS split, s.label AS label, p.step AS step, p.value AS value, p.time AS time, p.seq AS seq, p.epoch AS epoch
         FROM points p JOIN series s ON s.id = p.series JOIN runs r ON r.id = s.run
         WHERE p.gid > ? AND s.kind = 'metric' ${runFilter} ORDER BY p.gid LIMIT ?`,
      )
      .all(afterGid, ...args, limit) as Array<{ gid: number; runId: string; name: string; split: string; label: string; step: number; value: number | null; time: number; seq: number; epoch: number | null }>;
    // Only ids below both pages' ends are complete.
    const bound = Math.min(events.length === limit ? events.at(-1)!.gid : Infinity, points.length === limit ? points.at(-1)!.gid : Infinity);
    const items: StoredItem[] = [];
    for (const e of events) if (e.gid <= bound) items.push({ gid: e.gid, runId: e.runId, event: parseEvent(JSON.parse(e.body)) });
    for (const p of points) {
      if (p.gid > bound) continue;
      const event = {
        v: 1,
        seq: p.seq,
        runId: p.runId,
        time: p.time,
        kind: 'metric',
        name: p.name,
        value: num(p.value),
        step: p.step,
        ...(p.epoch === null ? {} : { epoch: p.epoch }),
        split: p.split,
        ...(p.label.startsWith('rank') ? { rank: Number(p.label.slice(4)) } : {}),
      } as TelemetryEvent;
      items.push({ gid: p.gid, runId: p.runId, event });
    }
    return items.sort((a, b) => a.gid - b.gid);
  }

  /** The global id of run `runId`'s event with `seq` (or the newest before it); 0 when none. */
  gidOfSeq(runId: string, seq: number): number {
    const run = (this.#stmt.runByKey!.get(runId) as RunRow | undefined)?.id;
    if (run === undefined) return 0;
    const fromEvents = this.db.prepare('SELECT max(gid) FROM events WHERE run = ? AND seq <= ?').pluck().get(run, seq) as number | null;
    const fromPoints = this.db
      .prepare('SELECT max(p.gid) FROM points p JOIN series s ON s.id = p.series WHERE s.run = ? AND p.seq <= ?')
      .pluck()
      .get(run, seq) as number | null;
    return Math.max(fromEvents ?? 0, fromPoints ?? 0);
  }

  /** Where reading the log at `path` resumes, if it was read before. */
  logCursor(path: string): LogCursor | undefined {
    return this.db.prepare('SELECT offset, line, inode FROM log_files WHERE path = ?').get(path) as LogCursor | undefined;
  }

  /** Saves where reading the log at `path` (of run `runId`) resumes. */
  saveLogCursor(path: string, runId: string, cursor: LogCursor): void {
    this.db
      .prepare('INSERT INTO log_files (path, run, offset, line, inode) VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET offset = excluded.offset, line = excluded.line, inode = excluded.inode')
      .run(path, this.ensureRun(runId, 'file'), cursor.offset, cursor.line, cursor.inode);
  }
}

function summaryOf(row: RunRow): RunSummary {
  return {
    runId: row.run_id,
    name: row.name ?? row.run_id,
    state: row.state,
    source: row.source,
    group: row.grp,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    updatedAt: row.updated_at,
    lastStep: row.last_step,
    lastSeq: row.last_seq,
    worldSize: row.world_size,
    hparams: json(row.hparams, {}),
    summary: row.summary === null ? {} : (JSON.parse(row.summary, (_k, v: unknown) => (typeof v === 'string' ? Number(v) : v)) as Record<string, number>),
    error: row.error,
    problems: row.problems,
    tornBytes: row.torn_bytes,
  };
}

function grow(array: Float64Array): Float64Array {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** JSON replacer: NaN and infinities as the contract's strings. */
function specialNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}
