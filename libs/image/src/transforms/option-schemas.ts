// Zod pieces shared by the transforms' option schemas, and the draws made from them.
import { z } from 'zod';
import { DataError } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';

/** `[lo, hi]` with lo <= hi. */
export type Interval = [number, number];

const ordered = (i: Interval) => i[0] <= i[1];

/**
 * An interval given as `[lo, hi]` or as one number `n`, read as `widen(n)`: `[-n, n]` for angles,
 * `[1 - n, 1 + n]` for factors.
 */
export function interval(widen: (n: number) => Interval, min = -Infinity) {
  return z
    .union([z.number().min(0), z.tuple([z.number().min(min), z.number().min(min)])])
    .transform((v): Interval => (typeof v === 'number' ? widen(v) : v))
    .refine(ordered, { message: 'expected [lo, hi] with lo <= hi' });
}

/** `n` -> `[-n, n]`. */
export const symmetric = (n: number): Interval => [-n, n];

/** `n` -> `[max(0, 1 - n), 1 + n]`, as torchvision's ColorJitter reads one number. */
export const aroundOne = (n: number): Interval => [Math.max(0, 1 - n), 1 + n];

/** A probability in [0, 1]. */
export const probability = z.number().min(0).max(1);

/** A positive pixel count. */
export const pixels = z.int().positive();

/** The value of pixels that come from outside the image: one for every channel, or one per channel. Default 0. */
export const fill = z.union([z.number(), z.array(z.number()).min(1).max(4)]).default(0);

/**
 * One fill value per channel.
 *
 * @throws DataError when a per-channel list does not match the image's channels.
 */
export function fillValues(value: number | readonly number[], channels: number, op: string): Float32Array {
  if (typeof value === 'number') return new Float32Array(channels).fill(value);
  if (value.length !== channels) {
    throw new DataError({ op, expected: `a fill value per channel (${channels})`, received: `${value.length} values` });
  }
  return Float32Array.from(value);
}

/** A uniform draw from `[lo, hi]` (one draw from `rng` even when lo = hi, so streams stay aligned). */
export function uniform(rng: Rng, [lo, hi]: Interval): number {
  return lo + (hi - lo) * rng.float();
}
