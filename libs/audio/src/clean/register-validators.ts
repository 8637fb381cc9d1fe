// The sample validators this lib adds to data's cleaning, registered once when the lib is imported.
import { sampleValidators } from '@omnitrain/data';
import { audioDurationValidator } from './audio-duration-validator.js';
import { unreadableAudioValidator } from './unreadable-audio-validator.js';

sampleValidators.register('unreadable-audio', unreadableAudioValidator);
sampleValidators.register('duration-out-of-range', audioDurationValidator());
