import { ConfigError } from './errors.js';

/**
 * A named collection of implementations (fusion heads, optimizers, schedules, ...).
 * Registering a name twice throws; asking for an unknown name lists the available ones.
 *
 * @example
 * const fusions = new Registry<FusionFactory>('fusion');
 * fusions.register('concat', concatFusion);
 * fusions.get('gatd'); // ConfigError: Unknown fusion "gatd". Available: concat. Did you mean "gated"?
 */
export class Registry<T> {
  readonly #entries = new Map<string, T>();

  /** @param kind What the entries are, used in messages ("fusion", "optimizer"). */
  constructor(readonly kind: string) {}

  /** Adds `value` under `name`; throws if the name is taken. */
  register(name: string, value: T): void {
    if (name === '') {
      throw new ConfigError({
        op: `Registry(${this.kind}).register`,
        expected: 'a non-empty name',
        received: '""',
      });
    }
    if (this.#entries.has(name)) {
      throw new ConfigError({
        op: `Registry(${this.kind}).register`,
        expected: `a ${this.kind} name not registered yet`,
        received: `"${name}", which is already registered`,
        hint: 'each implementation registers once, in its lib\'s registration file',
      });
    }
    this.#entries.set(name, value);
  }

  /** Returns the entry named `name`; throws a ConfigError listing the available names if absent. */
  get(name: string): T {
    const value = this.#entries.get(name);
    if (value === undefined) {
      const available = this.list();
      const near = nearest(name, available);
      const details = {
        op: `Registry(${this.kind}).get`,
        expected: `one of: ${available.join(', ') || '(none registered)'}`,
        received: `"${name}"`,
        hint: near ? `did you mean "${near}"?` : undefined,
      };
      const list = available.length ? available.join(', ') : '(none registered)';
      const suggestion = near ? ` Did you mean "${near}"?` : '';
      throw new ConfigError(
        details,
        [],
        `Unknown ${this.kind} "${name}". Available: ${list}.${suggestion}`,
      );
    }
    return value;
  }

  /** Whether `name` is registered. */
  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** Registered names, sorted. */
  list(): string[] {
    return [...this.#entries.keys()].sort();
  }
}

/** Edit distance between two strings (insertions, deletions, substitutions, transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `name` by edit distance, if it is close enough to be a likely typo
 * (distance at most a third of the longer name, and at least 1 allowed).
 */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(name.toLowerCase(), c.toLowerCase());
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.max(name.length, best?.length ?? 0) / 3));
  return bestDistance <= allowed ? best : undefined;
}
