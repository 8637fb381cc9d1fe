// A featurize thread for featurizer-pool.test.ts that dies (exit code 7) when asked for the sample
// whose id is in OMNITRAIN_TEST_CRASH_ON (the env a thread gets is a copy of its parent's); else
// it is the real featurize-worker.
import { parentPort } from 'node:worker_threads';
import type { FeaturizeRequest } from '../featurizer-pool.js';

parentPort!.on('message', (req: FeaturizeRequest) => {
  if (req.sample.id === process.env['OMNITRAIN_TEST_CRASH_ON']) process.exit(7);
});
await import('../featurize-worker.js');
