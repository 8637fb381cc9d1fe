// A tiny image-only run on random images: trains in a few seconds on the wasm backend.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeImageManifest } from './image-manifest.js';
import type { ImageManifest } from './image-manifest.js';

/** A folder with a tiny dataset and a run file using it (runs go to `<dir>/runs`). */
export interface TinyRun {
  dir: string;
  config: string;
  data: ImageManifest;
  classes: string[];
}

/** Writes `rows` random 12x12 images of 3 classes (plus one corrupt file) and `tiny.yaml`. */
export async function writeTinyRun(rows = 24): Promise<TinyRun> {
  const dir = await mkdtemp(join(tmpdir(), 'omnitrain-cli-run-'));
  const classes = ['a', 'b', 'c'];
  const data = await writeImageManifest(join(dir, 'data'), rows, classes);
  const config = join(dir, 'tiny.yaml');
  await writeFile(
    config,
    [
      'name: tiny',
      'runtime: { seed: 1 }',
      // 0.6/0.2/0.2 with >= 5 rows per class: val and test are never empty.
      'data: { manifest: data/manifest.jsonl, batchSize: 4, split: { ratios: { train: 0.6, val: 0.2, test: 0.2 } } }',
      'features: { image: { size: [12, 12], channels: 1 } }',
      'model:',
      '  modalities: [image]',
      `  numClasses: ${classes.length}`,
      '  encoders: { image: { name: cnn, filters: [4] } }',
      '  fusion: { name: early, hiddenDim: 8 }',
      'train: { epochs: 2, batchSize: 4 }',
      'telemetry: { runsDir: runs }',
      '',
    ].join('\n'),
  );
  return { dir, config, data, classes };
}
