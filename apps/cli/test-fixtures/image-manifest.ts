// Builds a small image manifest on disk with random pixels, random labels and one corrupt file.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePng, floatImage } from '@omnitrain/image';

/** What {@link writeImageManifest} wrote. */
export interface ImageManifest {
  manifest: string;
  /** Row ids by label. */
  labels: Record<string, string[]>;
  /** The id of the row whose file is not an image. */
  corruptId: string;
  rows: number;
}

/** Rows each class gets before labels turn random (when `rows` allows). */
const MIN_PER_CLASS = 5;

/** Writes `rows` random 12x12 PNGs (plus one corrupt .png) and a manifest.jsonl listing them. */
export async function writeImageManifest(dir: string, rows: number, classes: readonly string[]): Promise<ImageManifest> {
  await mkdir(join(dir, 'img'), { recursive: true });
  const lines: string[] = [];
  const labels: Record<string, string[]> = {};
  for (let i = 0; i < rows; i++) {
    const data = Float32Array.from({ length: 12 * 12 }, () => Math.random());
    await writeFile(join(dir, 'img', `${i}.png`), await encodePng(floatImage([12, 12, 1], data)));
    // Every class gets at least MIN_PER_CLASS rows (the runs' numClasses must match the data, and each
    // class must reach every split); the rest are random.
    const cycled = i < classes.length * MIN_PER_CLASS;
    const label = cycled ? classes[i % classes.length]! : classes[Math.floor(Math.random() * classes.length)]!;
    const id = `row-${i}`;
    (labels[label] ??= []).push(id);
    lines.push(JSON.stringify({ id, image: `img/${i}.png`, label }));
  }
  const corruptId = `row-${rows}`;
  await writeFile(join(dir, 'img', 'corrupt.png'), Buffer.from(Array.from({ length: 64 }, () => Math.floor(Math.random() * 256))));
  lines.push(JSON.stringify({ id: corruptId, image: 'img/corrupt.png', label: classes[0] }));
  const manifest = join(dir, 'manifest.jsonl');
  await writeFile(manifest, `${lines.join('\n')}\n`);
  return { manifest, labels, corruptId, rows: rows + 1 };
}
