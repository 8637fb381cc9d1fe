// The cases of the collective conformance suite, run by every rank of a group (in-process ranks of
// InMemoryCollective, or real worker processes around ZmqCollective). Inputs are a stateless hash
// of (seed, rank, index), so each rank can compute the float64 reference of any element itself.
import type { Collective, CollectiveReduceOp } from '@omnitrain/distributed';

/** A deterministic value in [-1, 1) for element `i` of `rank`'s input. */
export function value(seed: number, rank: number, i: number): number {
  let x = Math.imul(i ^ Math.imul(seed, 0x9e3779b1) ^ Math.imul(rank + 1, 0x85ebca6b), 0xcc9e2d51);
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d);
  x ^= x >>> 12;
  x = Math.imul(x, 0x297a2d39);
  x ^= x >>> 15;
  return ((x >>> 0) / 2 ** 32) * 2 - 1;
}

function input(seed: number, rank: number, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = value(seed, rank, i);
  return a;
}

/** FNV-1a over the bytes, to compare results across ranks cheaply. */
function hash(a: ArrayBufferView): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return (h >>> 0).toString(16);
}

/** Largest |result - float64 reference| relative to the sum of magnitudes, over all elements. */
/** Worst error relative to the magnitude of the summands (`floor` added to it: an absolute part for tiny values, as fp16 has). */
function reduceError(result: Float32Array, seed: number, worldSize: number, op: CollectiveReduceOp, stride = 1, offset = 0, floor = 1e-30): number {
  let worst = 0;
  for (let i = Math.floor(Math.random() * stride); i < result.length; i += stride) {
    let ref = op === 'max' ? -Infinity : op === 'min' ? Infinity : 0;
    let mag = 0;
    for (let r = 0; r < worldSize; r++) {
      const v = Math.fround(value(seed, r, offset + i));
      mag += Math.abs(v);
      ref = op === 'max' ? Math.max(ref, v) : op === 'min' ? Math.min(ref, v) : ref + v;
    }
    if (op === 'mean') {
      ref /= worldSize;
      mag /= worldSize;
    }
    const err = Math.abs(result[i]! - ref) / (mag + floor);
    if (!(err <= worst)) worst = err; // NaN counts as worst
  }
  return worst;
}

export interface ReduceResult {
  readonly error: number;
  readonly hash: string;
  readonly length: number;
}

/** One case's result on one rank (plain JSON). */
export type CaseResult = Record<string, unknown>;

/** Runs case `name` with `params` on `collective`. */
export async function runCase(c: Collective, name: string, p: Record<string, unknown>): Promise<CaseResult> {
  const seed = Number(p['seed'] ?? 1);
  switch (name) {
    case 'allReduce': {
      const op = (p['op'] ?? 'sum') as CollectiveReduceOp;
      const data = input(seed, c.rank, Number(p['n']));
      const out = await c.allReduce(data, op, { deadlineMs: Number(p['deadlineMs'] ?? 60_000) });
      const stride = Number(p['stride'] ?? 1); // check every stride-th element (random phase) of huge arrays
      return { error: reduceError(out, seed, c.worldSize, op, stride, 0, Number(p['errorFloor'] ?? 1e-30)), hash: hash(out), length: out.length, same: out === data };
    }
    case 'reduceScatter': {
      // counts (one per rank) or the even split; the result must be this rank's chunk, a view of the input.
      const op = (p['op'] ?? 'sum') as CollectiveReduceOp;
      const n = Number(p['n']);
      const counts = p['counts'] as number[] | undefined;
      const data = input(seed, c.rank, n);
      const start = counts ? counts.slice(0, c.rank).reduce((a, b) => a + b, 0) : Math.floor((c.rank * n) / c.worldSize);
      const length = counts ? counts[c.rank]! : Math.floor(((c.rank + 1) * n) / c.worldSize) - start;
      try {
        const out = await c.reduceScatter(data, op, { deadlineMs: Number(p['deadlineMs'] ?? 60_000), ...(counts ? { counts } : {}) });
        const view = out.buffer === data.buffer && out.byteOffset === data.byteOffset + start * 4;
        return { error: reduceError(out, seed, c.worldSize, op, 1, start), length: out.length, expectedLength: length, view, ok: true };
      } catch (e) {
        return { ok: false, message: (e as Error).message };
      }
    }
    case 'concurrent': {
      const sizes = p['sizes'] as number[];
      const ops: CollectiveReduceOp[] = ['sum', 'mean', 'max', 'min'];
      const outs = await Promise.all(sizes.map((n, k) => c.allReduce(input(seed + k, c.rank, n), ops[k % 4]!)));
      return { errors: outs.map((o, k) => reduceError(o, seed + k, c.worldSize, ops[k % 4]!)), hashes: outs.map(hash), lengths: outs.map((o) => o.length) };
    }
    case 'broadcast': {
      const root = Number(p['root']);
      const n = Number(p['n']);
      const bytes = p['bytes'] === true;
      const expected = input(seed, root, n);
      const mine = input(seed, c.rank, n);
      if (bytes) {
        const b = new Uint8Array(mine.buffer);
        await c.broadcast(b, root);
        return { equal: hash(b) === hash(expected), hash: hash(b) };
      }
      await c.broadcast(mine, root);
      return { equal: hash(mine) === hash(expected), hash: hash(mine) };
    }
    case 'allGather': {
      const lengths = (p['lengths'] as number[] | undefined) ?? Array.from({ length: c.worldSize }, (_, r) => r * 3 + 1);
      const all = await c.allGather(input(seed, c.rank, lengths[c.rank]!));
      return { equal: all.length === c.worldSize && all.every((a, r) => a.length === lengths[r] && hash(a) === hash(input(seed, r, lengths[r]!))) };
    }
    case 'barrier': {
      const label = c.rank === Number(p['oddRank'] ?? -1) ? 'other' : String(p['label'] ?? 'b');
      try {
        await c.barrier(label, { deadlineMs: 20_000 });
        return { ok: true };
      } catch (e) {
        return { ok: false, message: (e as Error).message };
      }
    }
    case 'deadline': {
      if (c.rank === Number(p['skipRank'])) return { skipped: true };
      const t0 = Date.now();
      try {
        await c.barrier('late', { deadlineMs: Number(p['deadlineMs']) });
        return { ok: true };
      } catch (e) {
        return { ok: false, message: (e as Error).message, ms: Date.now() - t0 };
      }
    }
    case 'loop': {
      // Fault tests: all-reduces until told count is reached or a peer fails (the error is the reply).
      const data = input(seed, c.rank, Number(p['n']));
      for (let k = 0; k < Number(p['iterations']); k++) {
        c.step = k;
        await c.allReduce(data, 'mean', { deadlineMs: 60_000 });
      }
      return { completed: true };
    }
    default:
      throw new Error(`unknown case ${name}`);
  }
}
