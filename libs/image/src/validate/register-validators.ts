// The cleaning checks this lib adds to data's sampleValidators, registered once.
import { sampleValidators } from '@omnitrain/data';
import { imageTooSmall } from './image-too-small.js';
import { unreadableImage } from './unreadable-image.js';

sampleValidators.register('unreadable-image', unreadableImage);
sampleValidators.register('image-too-small', imageTooSmall());
