// The feature transforms this lib ships, registered once so featureTransformFromConfig finds them.
import { featureTransforms } from './feature-transform.js';
import { MinMaxScaler } from './min-max-scaler.js';
import { MutualInfoSelector } from './mutual-info-selector.js';
import { Standardizer } from './standardizer.js';
import { VarianceThreshold } from './variance-threshold.js';

featureTransforms.register('standardize', (c) => Standardizer.fromConfig(c));
featureTransforms.register('min-max', (c) => MinMaxScaler.fromConfig(c));
featureTransforms.register('variance-threshold', (c) => VarianceThreshold.fromConfig(c));
featureTransforms.register('mutual-info', (c) => MutualInfoSelector.fromConfig(c));
