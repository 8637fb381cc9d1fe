// Child of featurizer-pool.test.ts: featurizes every sample of a manifest on a FeaturizerPool
// (threads started with this process's execArgv) and returns without closing the pool; the
// process must exit on its own.
import { readManifest } from '@omnitrain/data';
import { parseFeaturesConfig } from '../features-config.js';
import { FeaturizerPool } from '../featurizer-pool.js';

const { samples, classes } = await readManifest(process.argv[2]!);
const pool = await FeaturizerPool.create({ featurizer: { config: parseFeaturesConfig({}), classes, trainSamples: samples }, threads: 2 });
const got = await Promise.all(samples.map((s) => pool.featurize(s, { epoch: 1, training: true })));
process.stdout.write(`featurized ${got.length} samples\n`);
