import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { ConfigError } from '../errors.js';
import { deriveSeed } from './derive-seed.js';

/** The saved state of an {@link Rng}: plain JSON, restored exactly by {@link Rng.fromState}. */
export interface RngState {
  algorithm: 'xoroshiro128plus';
  /** Four signed 32-bit words of generator state. */
  state: number[];
}

/** Where a random stream is used; each purpose gets its own independent stream. */
export interface RngStreamOptions {
  /** What the stream is for: `shuffle`, `augment`, `dropout`, `init`, ... */
  purpose: string;
  /** The worker's rank; omit for streams that must agree on every rank (e.g. the epoch shuffle). */
  rank?: number;
}

/**
 * A seeded pseudo-random generator (xoroshiro128+ from pure-rand) with the draws training needs
 * and an exactly restorable state, so a resumed run draws the same numbers as an uninterrupted one.
 *
 * @example
 * const rng = Rng.stream(42, { purpose: 'augment', rank: 1 });
 * rng.float(); // in [0, 1)
 * const saved = rng.getState();
 * Rng.fromState(saved).float() === rng.float(); // true
 */
export class Rng {
  #gen: JumpableRandomGenerator;

  private constructor(gen: JumpableRandomGenerator) {
    this.#gen = gen;
  }

  /**
   * A generator seeded from an integer. The seed is hashed into the full 128-bit state, so nearby
   * seeds (0, 1, 2, ...) give unrelated sequences from the first draw on.
   */
  static fromSeed(seed: number): Rng {
    return Rng.fromHashedState((word) => deriveSeed(seed, word));
  }

  /**
   * An independent stream for one purpose (and rank) derived from the run's seed. Its 128-bit
   * state is hashed from (seed, purpose, rank), so streams do not overlap in practice.
   */
  static stream(seed: number, options: RngStreamOptions): Rng {
    const labels: Array<string | number> = [options.purpose];
    if (options.rank !== undefined) labels.push(options.rank);
    return Rng.fromHashedState((word) => deriveSeed(seed, ...labels, word));
  }

  /** Builds the 128-bit state from four hashed words. */
  private static fromHashedState(word: (index: number) => number): Rng {
    const state: number[] = [0, 1, 2, 3].map((i) => word(i) | 0);
    if (!state.some((w) => w !== 0)) state[0] = 1; // the all-zero state is a fixed point
    const rng = new Rng(xoroshiro128plusFromState(state));
    rng.#gen.next(); // decorrelate the first output from the raw hash words
    return rng;
  }

  /** Restores a generator saved with {@link Rng.getState}. */
  static fromState(saved: RngState): Rng {
    if (
      saved?.algorithm !== 'xoroshiro128plus' ||
      !Array.isArray(saved.state) ||
      saved.state.length !== 4 ||
      !saved.state.every((w) => Number.isInteger(w))
    ) {
      throw new ConfigError({
        op: 'Rng.fromState',
        expected: '{ algorithm: "xoroshiro128plus", state: [4 integers] }',
        received: JSON.stringify(saved),
        hint: 'pass the object returned by rng.getState()',
      });
    }
    return new Rng(xoroshiro128plusFromState(saved.state.map((w) => w | 0)));
  }

  /** The current state, as plain JSON. */
  getState(): RngState {
    return { algorithm: 'xoroshiro128plus', state: [...this.#gen.getState()] };
  }

  /** An independent copy that continues from the same state. */
  clone(): Rng {
    return new Rng(this.#gen.clone());
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    return this.#gen.next() >>> 0;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  float(): number {
    return uniformFloat64(this.#gen);
  }

  /** A uniform integer in [from, to], both included. */
  int(from: number, to: number): number {
    if (!Number.isInteger(from) || !Number.isInteger(to) || to < from) {
      throw new ConfigError({
        op: 'Rng.int',
        expected: 'integers from <= to',
        received: `from=${from}, to=${to}`,
      });
    }
    return uniformInt(this.#gen, from, to);
  }

  /** A draw from the normal distribution N(mean, std^2) (Box-Muller). */
  normal(mean = 0, std = 1): number {
    let u = this.float();
    while (u === 0) u = this.float();
    const v = this.float();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** True with probability `p`. */
  bernoulli(p: number): boolean {
    return this.float() < p;
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = uniformInt(this.#gen, 0, i);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = uniformInt(this.#gen, 0, i);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /** A 31-bit seed for APIs that take one (e.g. tfjs initializers' `seed`). */
  seed(): number {
    return this.uint32() & 0x7fffffff;
  }
}
