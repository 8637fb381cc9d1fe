import { z } from 'zod';

const scalar = z.union([z.number(), z.string(), z.boolean()]);
const range = z
  .tuple([z.number().describe('Low end, included.'), z.number().describe('High end.')])
  .refine(([lo, hi]) => lo < hi, { message: 'expected [low, high] with low < high' });

/** One searched parameter: a continuous, log-scale, integer or categorical distribution. */
export const paramSpecSchema = z.union([
  z.strictObject({ uniform: range.describe('Uniform on [low, high].') }),
  z.strictObject({
    loguniform: range
      .refine(([lo]) => lo > 0, { message: 'expected low > 0 for a log-uniform range' })
      .describe('Log-uniform on [low, high] (low > 0): every decade is equally likely.'),
  }),
  z.strictObject({
    int: z
      .tuple([z.number().int(), z.number().int()])
      .refine(([lo, hi]) => lo <= hi, { message: 'expected [low, high] with low <= high' })
      .describe('Integers low, low+step, ..., <= high.'),
    step: z.number().int().positive().default(1).describe('Spacing of the integers. Default 1.'),
  }),
  z.strictObject({ choice: z.array(scalar).min(1).describe('Categorical: one of these values (architecture choices live here).') }),
]);

/** The parsed form of one parameter's distribution. */
export type ParamSpec = z.output<typeof paramSpecSchema>;

/**
 * A search space: dotted run-config paths (`optim.optimizer.lr`, `model.fusion.name`) mapped to
 * distributions. A sampled point becomes `--set path=value` overrides of the run config.
 */
export const searchSpaceSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'expected a dotted config path like optim.optimizer.lr'),
    paramSpecSchema,
  )
  .refine((space) => Object.keys(space).length > 0, { message: 'expected at least one parameter' })
  .describe('Dotted run-config path -> {uniform|loguniform: [lo, hi]} | {int: [lo, hi], step} | {choice: [...]}.');

/** A validated search space (see {@link searchSpaceSchema}). */
export type SearchSpace = z.output<typeof searchSpaceSchema>;

/** One point of a search space: path -> value. */
export type Params = Record<string, number | string | boolean>;

/**
 * Whether `value` lies in `spec`'s support (bounds, step grid or choices).
 *
 * @example
 * inSpace({ int: [2, 8], step: 2 }, 6); // true
 */
export function inSpace(spec: ParamSpec, value: unknown): boolean {
  if ('choice' in spec) return spec.choice.includes(value as never);
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if ('uniform' in spec) return value >= spec.uniform[0] && value <= spec.uniform[1];
  if ('loguniform' in spec) return value >= spec.loguniform[0] && value <= spec.loguniform[1];
  return Number.isInteger(value) && value >= spec.int[0] && value <= spec.int[1] && (value - spec.int[0]) % spec.step === 0;
}
