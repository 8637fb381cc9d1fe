/** One variable's place in a packed buffer. */
export interface ShardSlice {
  readonly name: string;
  readonly shape: number[];
  /** Index of the first element in the packed buffer. */
  readonly offset: number;
  readonly size: number;
}

/** One rank's contiguous chunk of the packed buffer: its variables, then `extra` free floats. */
export interface RankShard {
  readonly slices: readonly ShardSlice[];
  /** Index of the chunk's first element. */
  readonly offset: number;
  /** Elements in the chunk (its variables' sizes plus `extra`). */
  readonly count: number;
  /** Where the `extra` floats start (absolute index). */
  readonly extraAt: number;
}

/** How the variables of one step are split among the ranks, see {@link planShards}. */
export interface ShardPlan {
  /** Identifies names, shapes and world size: equal keys, equal owners (whatever `extra`). */
  readonly key: string;
  /** Floats after each rank's variables. */
  readonly extra: number;
  /** Rank r's chunk at index r. */
  readonly ranks: readonly RankShard[];
  /** The owner of each variable by name. */
  readonly owner: ReadonlyMap<string, number>;
  /** Elements of the whole packed buffer. */
  readonly total: number;
}

/**
 * Splits whole variables among `worldSize` ranks, balanced by size (largest first, each to the rank
 * with the fewest elements so far; ties to the lower rank), and lays them out in one packed buffer
 * rank by rank (sorted names inside a rank), each rank's chunk followed by `extra` floats: the
 * reduce-scatter counts of a sharded optimizer step. Deterministic, so every rank computes the same plan.
 *
 * @param entries The variables (name, shape), any order.
 * @param worldSize Number of ranks (>= 1).
 * @param extra Floats after each rank's variables (e.g. metric sums every rank needs). Default 0.
 * @example
 * const plan = planShards([{ name: 'w', shape: [784, 512] }, { name: 'b', shape: [512] }], 2);
 * plan.ranks.map((r) => r.count); // [401408, 512]
 */
export function planShards(entries: ReadonlyArray<{ name: string; shape: number[] }>, worldSize: number, extra = 0): ShardPlan {
  const sized = entries.map((e) => ({ ...e, size: e.shape.reduce((a, b) => a * b, 1) }));
  const bySize = [...sized].sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const load = new Array<number>(worldSize).fill(0);
  const members: Array<typeof sized> = Array.from({ length: worldSize }, () => []);
  for (const e of bySize) {
    let r = 0;
    for (let i = 1; i < worldSize; i++) if (load[i]! < load[r]!) r = i;
    load[r]! += e.size;
    members[r]!.push(e);
  }
  const owner = new Map<string, number>();
  const ranks: RankShard[] = [];
  let at = 0;
  members.forEach((list, r) => {
    const offset = at;
    const slices = [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((e) => {
      owner.set(e.name, r);
      const s = { name: e.name, shape: e.shape, offset: at, size: e.size };
      at += e.size;
      return s;
    });
    const extraAt = at;
    at += extra;
    ranks.push({ slices, offset, count: at - offset, extraAt });
  });
  const key = `${worldSize}:${JSON.stringify([...sized].sort((a, b) => (a.name < b.name ? -1 : 1)).map((e) => [e.name, e.shape]))}`;
  return { key, extra, ranks, owner, total: at };
}
