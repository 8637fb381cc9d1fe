// Test helper: a run file for the real CLI (`omnitrain train`) that trains in a few seconds: a
// text-only model on a tiny 3-class dataset written beside it, logging every step.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes `<dir>/data.jsonl` (`rows` texts of 3 classes) and `<dir>/tiny.yaml` (runs go to `<dir>/runs`);
 * returns the run file's path.
 */
export async function writeTinyTextRun(dir: string, epochs: number, rows = 48): Promise<string> {
  const words = ['red', 'green', 'blue'];
  const lines = Array.from({ length: rows }, (_, i) => JSON.stringify({ id: `r${i}`, text: `${words[i % 3]} thing ${i} ${Math.floor(Math.random() * 1000)}`, label: words[i % 3] }));
  await writeFile(join(dir, 'data.jsonl'), `${lines.join('\n')}\n`);
  const config = join(dir, 'tiny.yaml');
  await writeFile(
    config,
    [
      'name: tiny-text',
      'runtime: { seed: 1, backend: cpu }',
      'data: { manifest: data.jsonl, batchSize: 4 }',
      'features: { text: { maxLength: 4 } }',
      'model:',
      '  modalities: [text]',
      '  numClasses: 3',
      '  encoders: { text: { name: bag-of-embeddings } }',
      '  fusion: { name: early, hiddenDim: 8 }',
      'optim: { optimizer: { name: adam, lr: 0.01 } }',
      `train: { epochs: ${epochs}, batchSize: 4, callbacks: [{ name: telemetry, everySteps: 1, systemEverySteps: 3 }] }`,
      'telemetry: { runsDir: runs }',
      '',
    ].join('\n'),
  );
  return config;
}
