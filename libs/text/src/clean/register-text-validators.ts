// The sample validators this lib adds to data's cleaning, registered once.
import { sampleValidators } from '@omnitrain/data';
import { textValidator } from './text-validator.js';

sampleValidators.register('text', textValidator());
