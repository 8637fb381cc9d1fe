// Registers the built-in fusion heads; imported once by the package's index.
import { fusions } from './fusions.js';
import { attentionFusion } from './heads/attention-fusion.js';
import { crossAttentionFusion } from './heads/cross-attention-fusion.js';
import { earlyFusion } from './heads/early-fusion.js';
import { filmFusion } from './heads/film-fusion.js';
import { gatedFusion } from './heads/gated-fusion.js';
import { lateFusion } from './heads/late-fusion.js';
import { lowRankFusion } from './heads/low-rank-fusion.js';
import { tensorFusion } from './heads/tensor-fusion.js';

fusions.register('early', earlyFusion);
fusions.register('late', lateFusion);
fusions.register('gated', gatedFusion);
fusions.register('attention', attentionFusion);
fusions.register('film', filmFusion);
fusions.register('low-rank', lowRankFusion);
fusions.register('tensor', tensorFusion);
fusions.register('cross-attention', crossAttentionFusion);
