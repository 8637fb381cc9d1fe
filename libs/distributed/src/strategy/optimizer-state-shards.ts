import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer } from '@omnitrain/optim';
import type { CallOptions, Collective } from '../collective/collective.js';

/** The parameter a slot tensor `<param>/<slot>` belongs to. */
const paramOf = (key: string): string => key.slice(0, key.lastIndexOf('/'));

/** A JSON value as one float per UTF-8 byte (exact in float32), for a float32 all-gather. */
const jsonFloats = (value: unknown): Float32Array => Float32Array.from(new TextEncoder().encode(JSON.stringify(value)));
const floatsJson = <T>(floats: Float32Array): T => JSON.parse(new TextDecoder().decode(Uint8Array.from(floats))) as T;

/**
 * Makes every rank's optimizer hold the whole state of a sharded optimizer (ZeRO-1): each rank's
 * slot tensors and per-parameter step counts are all-gathered and imported everywhere, so the state
 * exported next (a checkpoint on rank 0) is the one an unsharded optimizer would have. Every rank
 * must call it at the same point.
 *
 * @param collective The ranks.
 * @param optimizer This rank's optimizer (holding the slots of the parameters it updates).
 * @param call Deadline of the collective calls.
 * @param owner The rank whose state of a parameter is current (a rank may hold stale copies of
 *   others'); for parameters it does not name, the lowest rank that has state for it.
 * @example
 * await gatherOptimizerState(collective, optimizer, { deadlineMs: 60_000 }); // before rank 0 saves
 */
export async function gatherOptimizerState(collective: Collective, optimizer: Optimizer, call: CallOptions, owner: (param: string) => number | undefined = () => undefined): Promise<void> {
  const state = optimizer.exportState();
  try {
    const names = Object.keys(state.tensors).sort();
    const values = await Promise.all(names.map(async (n) => (await state.tensors[n]!.data()) as Float32Array));
    const data = new Float32Array(values.reduce((s, v) => s + v.length, 0));
    values.reduce((at, v) => (data.set(v, at), at + v.length), 0);
    const spec = { slots: names.map((n) => ({ name: n, shape: state.tensors[n]!.shape })), steps: state.meta.steps };
    const specs = (await collective.allGather(jsonFloats(spec), call)).map((f) => floatsJson<typeof spec>(f));
    const datas = await collective.allGather(data, call);
    const tensors: tf.NamedTensorMap = {};
    const steps: Record<string, number> = {};
    // Each parameter's state from one rank: its owner, else the lowest rank that has any.
    const source = new Map<string, number>();
    specs.forEach((s, r) => {
      for (const p of [...s.slots.map((x) => paramOf(x.name)), ...Object.keys(s.steps)]) {
        const o = owner(p);
        if (!source.has(p) && (o === undefined || o === r)) source.set(p, r);
      }
    });
    try {
      specs.forEach((s, r) => {
        let at = 0;
        for (const { name, shape } of s.slots) {
          const size = shape.reduce((a, b) => a * b, 1);
          if (source.get(paramOf(name)) === r) tensors[name] = tf.tensor(datas[r]!.slice(at, at + size), shape);
          at += size;
        }
        for (const [p, n] of Object.entries(s.steps)) if (source.get(p) === r) steps[p] = n;
      });
      optimizer.importState({ tensors, meta: { ...state.meta, steps } });
    } finally {
      tf.dispose(tensors);
    }
  } finally {
    tf.dispose(state.tensors);
  }
}

/**
 * Drops the optimizer state (slots, step counts) of the parameters this rank does not update, so a
 * sharded optimizer holds only its own share.
 *
 * @param optimizer This rank's optimizer.
 * @param owns Whether this rank updates the named parameter.
 * @example
 * keepOwnedOptimizerState(optimizer, (name) => plan.owner.get(name) === rank);
 */
export function keepOwnedOptimizerState(optimizer: Optimizer, owns: (param: string) => boolean): void {
  const state = optimizer.exportState();
  try {
    const tensors = Object.fromEntries(Object.entries(state.tensors).filter(([k]) => owns(paramOf(k))));
    const steps = Object.fromEntries(Object.entries(state.meta.steps).filter(([p]) => owns(p)));
    optimizer.importState({ tensors, meta: { ...state.meta, steps } });
  } finally {
    tf.dispose(state.tensors);
  }
}
