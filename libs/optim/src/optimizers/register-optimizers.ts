// Registers the built-in optimizers; imported once by the package's index.
import { adagrad } from './adagrad.js';
import { adam } from './adam.js';
import { adamw } from './adamw.js';
import { optimizers } from './optimizers.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';

optimizers.register('sgd', sgd);
optimizers.register('adagrad', adagrad);
optimizers.register('rmsprop', rmsprop);
optimizers.register('adam', adam);
optimizers.register('adamw', adamw);
