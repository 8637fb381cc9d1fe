// The tokenizers this lib ships, registered once so tokenizerFromConfig finds them.
import { tokenizers } from './tokenizer-from-config.js';
import { TransformersTokenizer } from '../transformers/transformers-tokenizer.js';
import { VocabTokenizer } from '../vocab/vocab-tokenizer.js';

tokenizers.register('vocab', (c) => VocabTokenizer.fromConfig(c));
tokenizers.register('transformers', (c) => TransformersTokenizer.load(c));
