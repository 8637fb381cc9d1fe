import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import { textAugmentationFromConfig } from './text-augmentation.js';
import type { TextAugmentation, TextAugmentationConfig } from './text-augmentation.js';

const TextAugmentChainSchema = z.strictObject({
  kind: z.literal('chain'),
  steps: z.array(z.looseObject({ kind: z.string().min(1) })).describe('The augmentations, applied in order.'),
});

/** The saved form of a {@link TextAugmentChain}: its steps' configs, in order. */
export type TextAugmentChainConfig = {
  kind: 'chain';
  steps: TextAugmentationConfig[];
};

/**
 * Applies augmentations one after the other, all drawing from the same stream; itself an
 * augmentation, so chains nest and save as one config.
 *
 * @example
 * const chain = new TextAugmentChain([new SynonymReplacement({ p: 0.1, synonyms }), new CharacterNoise({ p: 0.03 })]);
 * const again = textAugmentationFromConfig(chain.getConfig()); // the same chain
 */
export class TextAugmentChain implements TextAugmentation {
  readonly kind = 'chain';
  readonly steps: readonly TextAugmentation[];

  /** @param steps The augmentations, in the order they apply. */
  constructor(steps: readonly TextAugmentation[]) {
    this.steps = [...steps];
  }

  /** Rebuilds a chain (and each step, by kind) from {@link TextAugmentChain.getConfig}; throws ConfigError if malformed. */
  static fromConfig(config: unknown): TextAugmentChain {
    const c = loadConfigObject(config, TextAugmentChainSchema, { source: 'TextAugmentChain.fromConfig' });
    return new TextAugmentChain(c.steps.map((s) => textAugmentationFromConfig(s)));
  }

  apply(text: string, rng: Rng): string {
    return this.steps.reduce((t, step) => step.apply(t, rng), text);
  }

  getConfig(): TextAugmentChainConfig {
    return { kind: 'chain', steps: this.steps.map((s) => s.getConfig()) };
  }
}
