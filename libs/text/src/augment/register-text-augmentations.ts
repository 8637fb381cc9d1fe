// The text augmentations this lib ships, registered once so textAugmentationFromConfig finds them.
import { CharacterNoise } from './character-noise.js';
import { RandomDeletion } from './random-deletion.js';
import { RandomSwap } from './random-swap.js';
import { SynonymReplacement } from './synonym-replacement.js';
import { TextAugmentChain } from './text-augment-chain.js';
import { textAugmentations } from './text-augmentation.js';
import { WordMask } from './word-mask.js';

textAugmentations.register('random-deletion', (c) => RandomDeletion.fromConfig(c));
textAugmentations.register('random-swap', (c) => RandomSwap.fromConfig(c));
textAugmentations.register('synonym-replacement', (c) => SynonymReplacement.fromConfig(c));
textAugmentations.register('character-noise', (c) => CharacterNoise.fromConfig(c));
textAugmentations.register('word-mask', (c) => WordMask.fromConfig(c));
textAugmentations.register('chain', (c) => TextAugmentChain.fromConfig(c));
