// A real training process for crash tests: trains buildResumeRun until `stopAt` optimizer steps,
// prints `at <stopAt>` and hangs so the test can SIGKILL it.
// node --conditions=@omnitrain/source --import <registerTsPath of @omnitrain/testing> crash-trainer.mjs <dir> <seed> <stopAt>
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs'; // registers the gradient functions (tfjs-core's Node bundle has none)

const [dir, seed, stopAt] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const { buildResumeRun } = await import('./resume-run.ts');
await tf.setBackend('cpu');
const hang = {
  name: 'hang',
  async onBatchEnd({ trainer }) {
    if (trainer.step !== stopAt) return;
    process.stdout.write(`at ${stopAt}\n`);
    await new Promise(() => setInterval(() => undefined, 1000));
  },
};
await buildResumeRun(dir, seed, [hang]).trainer.fit();
