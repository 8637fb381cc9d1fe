import { z } from 'zod';

/** Keys of an optimizer config that are not per-group hyperparameters. */
export const STRUCTURAL_KEYS = ['name', 'groups', 'clipNorm', 'clipNormType', 'clipValue'] as const;

type Defaulted = Record<string, z.ZodDefault<z.ZodType>>;
type Overrides<S extends Defaulted> = { [K in keyof S]: z.ZodOptional<ReturnType<S[K]['unwrap']>> };

/** Defaults of the options every optimizer shares. */
export interface CommonDefaults {
  /** Default learning rate. */
  lr: number;
  /** Default weight decay. Default 0. */
  weightDecay?: number;
  /** Whether weight decay is decoupled by default. Default false. */
  decoupledWeightDecay?: boolean;
}

function commonShape(d: CommonDefaults) {
  const decoupled = d.decoupledWeightDecay ?? false;
  return {
    lr: z.number().min(0).default(d.lr).describe(`Learning rate. Default ${d.lr}.`),
    weightDecay: z
      .number()
      .min(0)
      .default(d.weightDecay ?? 0)
      .describe(
        'Weight decay: added to the gradient as weightDecay * param (coupled, as in torch SGD/Adam), or ' +
          `param *= 1 - lr * weightDecay before the update (decoupled, AdamW). Default ${d.weightDecay ?? 0}.`,
      ),
    decoupledWeightDecay: z
      .boolean()
      .default(decoupled)
      .describe(`Decouple weight decay from the gradient (Loshchilov & Hutter). Default ${decoupled}.`),
    maximize: z.boolean().default(false).describe('Maximize the objective instead of minimizing it. Default false.'),
  };
}

function overridesOf<S extends Defaulted>(shape: S): Overrides<S> {
  const entries = Object.entries(shape).map(([key, field]) => [
    key,
    field
      .unwrap()
      .optional()
      .describe(`This group's ${key}. Default: the optimizer-wide value.`),
  ]);
  return Object.fromEntries(entries) as Overrides<S>;
}

/**
 * The zod schema of one optimizer's config: `name`, the shared options (lr, weightDecay,
 * decoupledWeightDecay, maximize), the algorithm's own `hyper` options, parameter `groups` that
 * override any of them, and gradient clipping. Unknown keys are errors.
 *
 * @param name The registered name, the config's `name` literal.
 * @param defaults Defaults of the shared options.
 * @param hyper The algorithm's options, each with a `.default()` and a `.describe()`.
 * @returns A strict object schema.
 *
 * @example
 * const schema = optimizerSchema('sgd', { lr: 0.01 }, { momentum: z.number().min(0).default(0) });
 * schema.parse({ name: 'sgd', groups: [{ params: ['head/*'], lr: 0.1 }] });
 */
export function optimizerSchema<N extends string, S extends Defaulted>(name: N, defaults: CommonDefaults, hyper: S) {
  const options = { ...commonShape(defaults), ...hyper };
  const group = z.strictObject({
    params: z
      .array(z.string().min(1))
      .min(1)
      .describe('Parameter names or globs (`encoder/*`); a parameter joins the first group that matches it.'),
    name: z.string().min(1).optional().describe('Group name, used in messages and metrics. Default: group<i>.'),
    ...overridesOf(options),
  });
  return z.strictObject({
    name: z.literal(name),
    ...options,
    groups: z
      .array(group)
      .default([])
      .describe('Parameter groups with their own options; unmatched parameters form a last group, "default". Default: none.'),
    clipNorm: z
      .number()
      .min(0)
      .optional()
      .describe('Scale all gradients together so their global norm is at most this (torch clip_grad_norm_). Default: off.'),
    clipNormType: z
      .union([z.number().positive(), z.literal('inf')])
      .default(2)
      .describe('The p of the global p-norm for clipNorm, or "inf". Default 2.'),
    clipValue: z
      .number()
      .min(0)
      .optional()
      .describe('Clamp every gradient element to [-clipValue, clipValue], after clipNorm. Default: off.'),
  });
}

/** The parsed config shape every optimizer schema produces, as `GradientOptimizer` reads it. */
export type BaseOptimizerConfig = {
  name: string;
  lr: number;
  weightDecay: number;
  decoupledWeightDecay: boolean;
  maximize: boolean;
  groups: ReadonlyArray<{ params: string[]; name?: string | undefined }>;
  clipNorm?: number | undefined;
  clipNormType: number | 'inf';
  clipValue?: number | undefined;
};

/** The per-group hyperparameters of a parsed optimizer config `C`. */
export type GroupOptions<C> = Omit<C, (typeof STRUCTURAL_KEYS)[number]>;
