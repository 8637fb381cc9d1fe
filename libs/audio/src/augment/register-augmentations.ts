// The audio augmentations this lib ships, registered once so audioAugmentationFromConfig finds them.
import { AudioCompose } from './audio-compose.js';
import { audioAugmentations } from './audio-augmentation.js';
import { AudioRandomApply } from './audio-random-apply.js';
import { Gain } from './gain.js';
import { NoiseAtSnr } from './noise-at-snr.js';
import { SpectrogramMask } from './spectrogram-mask.js';
import { SpeedChange } from './speed-change.js';
import { TimeShift } from './time-shift.js';

audioAugmentations.register('gain', (c) => Gain.fromConfig(c));
audioAugmentations.register('noise', (c) => NoiseAtSnr.fromConfig(c));
audioAugmentations.register('time-shift', (c) => TimeShift.fromConfig(c));
audioAugmentations.register('speed', (c) => SpeedChange.fromConfig(c));
audioAugmentations.register('spectrogram-mask', (c) => SpectrogramMask.fromConfig(c));
audioAugmentations.register('compose', (c) => AudioCompose.fromConfig(c));
audioAugmentations.register('random-apply', (c) => AudioRandomApply.fromConfig(c));
