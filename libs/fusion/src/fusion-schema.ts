import { z } from 'zod';

/** The options every head shares, documented with their defaults. */
export const commonFusionShape = {
  modalities: z
    .record(z.string().min(1), z.int().positive())
    .refine((m) => Object.keys(m).length > 0, 'at least one modality')
    .describe('Modality name -> feature width, e.g. { image: 64, audio: 32 }. Required.'),
  outDim: z.int().positive().describe('Output width (classes, or fused feature size). Required.'),
  hiddenDim: z.int().positive().default(32).describe('Width of projections and of the output MLP. Default 32.'),
  modalityDropout: z
    .number()
    .min(0)
    .max(1)
    .default(0)
    .describe('Probability of dropping each modality of each sample in training (one is always kept). Default 0.'),
  seed: z.int().default(0).describe('Seed of the initialization and of the modality-dropout stream. Default 0.'),
};

/**
 * The strict schema of one head's config: `name` fixed to `name`, the common options and `extra`.
 *
 * @param name The registry name (`early`, `gated`, ...).
 * @param extra The head's own options (zod fields with defaults).
 *
 * @example
 * const filmConfigSchema = fusionSchema('film', { target: z.string().optional() });
 */
export function fusionSchema<const N extends string, E extends z.ZodRawShape>(name: N, extra: E) {
  return z
    .strictObject({ name: z.literal(name), ...commonFusionShape, ...extra })
    .describe(`Options of the "${name}" fusion head.`);
}

/** The common options after validation. */
export type CommonFusionConfig = z.output<ReturnType<typeof fusionSchema<string, Record<never, never>>>>;
