import type { Database } from 'better-sqlite3';

/** One step of the store's schema, applied once and recorded in the `migrations` table. */
export interface Migration {
  /** Version number, increasing from 1. */
  version: number;
  /** What it does, in a few words. */
  name: string;
  /** The SQL to run. */
  sql: string;
}

/**
 * The store's schema, as numbered migrations. Append new ones; never edit an applied one.
 * Series hold the derived scalar curves (metrics, learning rate, step-time parts, system and worker
 * use); `points` is their data; `events` keeps every non-metric event as JSON for the detail views
 * and for SSE replay.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, series, points, events',
    sql: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL UNIQUE,
        name TEXT,
        source TEXT NOT NULL,
        dir TEXT,
        state TEXT NOT NULL,
        config TEXT, hparams TEXT, backend TEXT, host TEXT, git TEXT,
        world_size INTEGER, grp TEXT,
        started_at REAL, ended_at REAL, updated_at REAL,
        last_step INTEGER, last_seq INTEGER NOT NULL DEFAULT -1,
        summary TEXT, error TEXT,
        problems INTEGER NOT NULL DEFAULT 0,
        torn_bytes INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        run INTEGER NOT NULL REFERENCES runs(id),
        kind TEXT NOT NULL, name TEXT NOT NULL, split TEXT NOT NULL, label TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 0,
        first_step INTEGER, last_step INTEGER, last_value REAL,
        UNIQUE (run, kind, name, split, label)
      );
      CREATE TABLE points (
        series INTEGER NOT NULL,
        step INTEGER NOT NULL,
        value REAL,
        time REAL NOT NULL,
        gid INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        epoch INTEGER
      );
      CREATE INDEX points_series_step ON points (series, step);
      CREATE INDEX points_gid ON points (gid);
      CREATE TABLE events (
        gid INTEGER PRIMARY KEY,
        run INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        step INTEGER,
        time REAL NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX events_run_kind ON events (run, kind, gid);
      CREATE INDEX events_run_seq ON events (run, seq);
      CREATE TABLE workers (run INTEGER NOT NULL, rank INTEGER NOT NULL, body TEXT NOT NULL, time REAL NOT NULL, PRIMARY KEY (run, rank));
      CREATE TABLE trials (
        search_id TEXT NOT NULL, trial_id TEXT NOT NULL, run INTEGER NOT NULL,
        state TEXT NOT NULL, body TEXT NOT NULL, time REAL NOT NULL,
        PRIMARY KEY (search_id, trial_id)
      );
      CREATE TABLE problems (id INTEGER PRIMARY KEY, run INTEGER, file TEXT, line INTEGER, message TEXT NOT NULL, time REAL NOT NULL);
      CREATE TABLE log_files (path TEXT PRIMARY KEY, run INTEGER NOT NULL, offset INTEGER NOT NULL, line INTEGER NOT NULL, inode INTEGER NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'points read in (step, gid) order from the index',
    // readPoints orders by (step, gid): with gid in the index a million-point series is read in
    // index order instead of through a temporary sort.
    sql: `
      CREATE INDEX points_series_step_gid ON points (series, step, gid);
      DROP INDEX points_series_step;
    `,
  },
];

/**
 * Brings `db` to the newest schema: creates the `migrations` table and applies, in one transaction
 * each, every migration not recorded there yet.
 *
 * @returns The versions applied now (empty when the file was up to date).
 * @example
 * const applied = migrate(new Database('dashboard.sqlite')); // [1] on a new file, [] after
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)');
  const done = new Set((db.prepare('SELECT version FROM migrations').pluck().all() as number[]));
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, Date.now());
    })();
    applied.push(migration.version);
  }
  return applied;
}
