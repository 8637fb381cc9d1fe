// Test helper: N real worker processes (collective-worker.ts, run from TypeScript sources) driven
// over stdin/stdout, so one process group serves many conformance cases.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@omnitrain/distributed';
import { tsChildArgs } from '@omnitrain/testing';

const here = fileURLToPath(new URL('.', import.meta.url));
/** `node` arguments that run a TypeScript file of this repo (sources of every @omnitrain lib). */
export const TS_NODE_ARGS = tsChildArgs();

export interface Reply {
  readonly id: string;
  readonly result?: Record<string, unknown>;
  readonly error?: string;
}

export interface WorkerGroup {
  readonly children: ChildProcess[];
  /** Every rank's ready line. */
  readonly ready: Reply[];
  /** Runs case `name` on the given ranks (default all) and resolves with their replies, by rank. */
  run(name: string, params?: Record<string, unknown>, ranks?: number[], timeoutMs?: number): Promise<Reply[]>;
  /** The next reply of `rank` with `id` (for cases started with run on other ranks). */
  reply(rank: number, id: string, timeoutMs?: number): Promise<Reply>;
  /** Sends a case to ranks without waiting; returns its id. */
  send(name: string, params: Record<string, unknown>, ranks: number[]): string;
  stderr(rank: number): string;
  close(): Promise<void>;
}

let nextId = 0;

/** Starts `n` worker processes around a ZmqCollective with `options` (JSON) and waits until all joined (or failed). */
export async function startZmqGroup(
  n: number,
  options: Record<string, unknown> = {},
  env: Record<string, string> = {},
  spawnOptions: { ranks?: number[]; waitReady?: boolean; envOf?: (rank: number) => Record<string, string> } = {},
): Promise<WorkerGroup> {
  const port = await findFreePort();
  const waiting = new Map<string, (r: Reply) => void>();
  const arrived = new Map<string, Reply>();
  const errs: string[] = Array.from({ length: n }, () => '');
  const started = spawnOptions.ranks ?? Array.from({ length: n }, (_, r) => r);
  const children = Array.from({ length: n }, (_, rank) => {
    if (!started.includes(rank)) return undefined as unknown as ChildProcess;
    const child = spawn(process.execPath, [...TS_NODE_ARGS, `${here}collective-worker.ts`], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        RANK: String(rank),
        WORLD_SIZE: String(n),
        LOCAL_RANK: String(rank),
        MASTER_ADDR: '127.0.0.1',
        MASTER_PORT: String(port),
        OMNITRAIN_JOB_ID: `test-${port}`,
        COLLECTIVE_OPTIONS: JSON.stringify(options),
        ...env,
        ...spawnOptions.envOf?.(rank),
      },
    });
    child.stderr!.on('data', (d: Buffer) => (errs[rank] += d.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: Reply;
      try {
        msg = JSON.parse(line) as Reply;
      } catch {
        return;
      }
      const key = `${rank}:${msg.id}`;
      const w = waiting.get(key);
      if (w) {
        waiting.delete(key);
        w(msg);
      } else arrived.set(key, msg);
    });
    child.on('exit', (code, signal) => {
      for (const [key, w] of waiting) if (key.startsWith(`${rank}:`)) w({ id: key, error: `exited ${code ?? signal}: ${errs[rank]}` });
    });
    return child;
  });
  const reply = (rank: number, id: string, timeoutMs = 90_000): Promise<Reply> => {
    const key = `${rank}:${id}`;
    const got = arrived.get(key);
    if (got) {
      arrived.delete(key);
      return Promise.resolve(got);
    }
    if (children[rank]!.exitCode !== null || children[rank]!.signalCode !== null) return Promise.resolve({ id, error: `exited: ${errs[rank]}` });
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve({ id, error: `no reply within ${timeoutMs} ms: ${errs[rank]}` }), timeoutMs);
      waiting.set(key, (r) => {
        clearTimeout(t);
        resolve(r);
      });
    });
  };
  const send = (name: string, params: Record<string, unknown>, ranks: number[]): string => {
    const id = `c${nextId++}`;
    for (const r of ranks) children[r]!.stdin!.write(`${JSON.stringify({ id, name, params })}\n`);
    return id;
  };
  const all = started;
  const ready = spawnOptions.waitReady === false ? [] : await Promise.all(all.map((r) => reply(r, 'ready', 60_000)));
  return {
    children,
    ready,
    reply,
    send,
    stderr: (rank) => errs[rank]!,
    async run(name, params = {}, ranks = all, timeoutMs) {
      const id = send(name, params, ranks);
      return Promise.all(ranks.map((r) => reply(r, id, timeoutMs)));
    },
    async close() {
      await Promise.all(
        children.map(async (c) => {
          if (!c || c.exitCode !== null || c.signalCode !== null) return;
          const exited = new Promise((r) => c.once('exit', r));
          c.stdin!.write(`${JSON.stringify({ id: 'x', name: 'exit', params: {} })}\n`);
          const t = setTimeout(() => c.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(t);
        }),
      );
    },
  };
}
