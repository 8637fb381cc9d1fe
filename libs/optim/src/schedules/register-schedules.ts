// Registers the built-in learning-rate schedules; imported once by the package's index.
import { constantLr } from './constant-lr.js';
import { cosineAnnealingLr } from './cosine-annealing-lr.js';
import { cosineWarmRestartsLr } from './cosine-warm-restarts-lr.js';
import { exponentialLr } from './exponential-lr.js';
import { linearWarmup } from './linear-warmup.js';
import { multiStepLr } from './multi-step-lr.js';
import { oneCycleLr } from './one-cycle-lr.js';
import { schedules } from './schedules.js';
import { stepLr } from './step-lr.js';

schedules.register('constant', constantLr);
schedules.register('step', stepLr);
schedules.register('multi-step', multiStepLr);
schedules.register('exponential', exponentialLr);
schedules.register('cosine', cosineAnnealingLr);
schedules.register('cosine-restarts', cosineWarmRestartsLr);
schedules.register('linear-warmup', linearWarmup);
schedules.register('one-cycle', oneCycleLr);
