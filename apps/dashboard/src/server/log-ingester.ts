import type { Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEventLine } from '@omnitrain/telemetry';
import type { TelemetryEvent } from '@omnitrain/telemetry';
import type { DashboardStore, LogCursor } from './dashboard-store.js';
import type { EventHub } from './event-hub.js';

const CHUNK = 4 * 1024 * 1024;

/**
 * Tails every `<runsDir>/<runId>/events.jsonl` into the store, by byte offset (kept in the store,
 * so a restarted dashboard resumes where it stopped). Only complete lines are read: a half-written
 * last line is retried on the next poll. A corrupt line is recorded as a problem of its run and
 * skipped. A log that was replaced or truncated is read again from its start (duplicates are
 * skipped by `seq`). A folder without a log, or a log without a valid `run-start`, is registered
 * with that state so the dashboard can show it.
 *
 * @example
 * const ingester = new LogIngester(store, hub, 'runs');
 * await ingester.poll(); // once; or ingester.start(500) to poll every 500 ms
 */
export class LogIngester {
  readonly #store: DashboardStore;
  readonly #hub: EventHub;
  readonly #runsDir: string;
  readonly #mismatchReported = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(store: DashboardStore, hub: EventHub, runsDir: string) {
    this.#store = store;
    this.#hub = hub;
    this.#runsDir = runsDir;
  }

  /** Polls every `intervalMs` until {@link stop}. */
  start(intervalMs: number): void {
    const tick = (): void => {
      this.#timer = undefined;
      void this.poll().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(tick, intervalMs);
      });
    };
    this.#timer = setTimeout(tick, intervalMs);
  }

  /** Stops polling and waits for a poll in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#chain;
  }

  /** Reads what is new in every run folder, after any poll in progress (polls never overlap). */
  poll(): Promise<void> {
    this.#chain = this.#chain.then(() => this.#pollAll()).catch((error: unknown) => process.emitWarning(`dashboard: scanning ${this.#runsDir} failed: ${(error as Error).message}`));
    return this.#chain;
  }

  async #pollAll(): Promise<void> {
    const entries = await readdir(this.#runsDir, { withFileTypes: true }).catch((): Dirent[] => []);
    const changed: string[] = [];
    for (const entry of entries) {
      if (this.#stopped) return;
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      try {
        if (await this.#pollRun(entry.name)) changed.push(entry.name);
      } catch (error) {
        this.#store.addProblem(entry.name, join(this.#runsDir, entry.name), null, `cannot read run folder: ${(error as Error).message}`);
      }
    }
    if (changed.length > 0) this.#hub.publish({ type: 'runs-changed', runIds: changed });
  }

  /** Reads one run folder; returns whether its state or run list entry changed. */
  async #pollRun(runId: string): Promise<boolean> {
    const dir = join(this.#runsDir, runId);
    const path = join(dir, 'events.jsonl');
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) return this.#store.setFolderState(runId, dir, false, 0);
    let cursor: LogCursor = this.#store.logCursor(path) ?? { offset: 0, line: 1, inode: info.ino };
    if (cursor.inode !== info.ino || info.size < cursor.offset) {
      this.#store.addProblem(runId, path, cursor.line, `${path}: the log was replaced or truncated; reading it again from the start`);
      cursor = { offset: 0, line: 1, inode: info.ino };
    }
    let changed = false;
    if (info.size > cursor.offset) {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(CHUNK);
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, CHUNK, cursor.offset);
          if (bytesRead === 0) break;
          const consumed = this.#ingestLines(runId, dir, path, buffer.subarray(0, bytesRead), cursor);
          if (consumed.started) changed = true;
          this.#store.saveLogCursor(path, runId, cursor);
          if (consumed.bytes === 0) {
            // No newline in a whole chunk: a line longer than the chunk, or torn. Retry later.
            if (bytesRead === CHUNK) this.#store.addProblem(runId, path, cursor.line, `${path}:${cursor.line}: line longer than ${CHUNK} bytes skipped`);
            break;
          }
        }
      } finally {
        await handle.close();
      }
    }
    return this.#store.setFolderState(runId, dir, true, info.size - cursor.offset) || changed;
  }

  /** Ingests the complete lines of `bytes` (read at `cursor`), advancing it; returns bytes consumed. */
  #ingestLines(runId: string, dir: string, path: string, bytes: Buffer, cursor: LogCursor): { bytes: number; started: boolean } {
    const events: TelemetryEvent[] = [];
    let start = 0;
    for (let newline = bytes.indexOf(0x0a); newline >= 0; newline = bytes.indexOf(0x0a, start)) {
      const text = bytes.toString('utf8', start, newline);
      const line = cursor.line;
      cursor.line += 1;
      start = newline + 1;
      if (text.trim() === '') continue;
      const parsed = parseEventLine(text, path, line);
      if ('problem' in parsed) {
        this.#store.addProblem(runId, path, line, parsed.problem.message);
        continue;
      }
      if (parsed.event.runId !== runId && !this.#mismatchReported.has(runId)) {
        this.#mismatchReported.add(runId);
        this.#store.addProblem(runId, path, line, `${path}:${line}: event of run "${parsed.event.runId}" in the folder of run "${runId}"; shown under the folder's name`);
      }
      events.push(parsed.event);
    }
    cursor.offset += start;
    const stored = this.#store.ingest(runId, events, 'file', dir);
    this.#hub.publish({ type: 'events', items: stored });
    return { bytes: start, started: stored.some((s) => s.event.kind === 'run-start' || s.event.kind === 'run-end') };
  }
}
